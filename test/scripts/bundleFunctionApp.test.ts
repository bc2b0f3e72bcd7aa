import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { describe, expect, it } from "vitest";

import { installFunctionsCore } from "../../src/local/functionsCore.js";
import { bundleFunctionApp, functionEntryFiles } from "../../scripts/bundleFunctionApp.js";

describe("npm run build (the deployable bundle)", () => {
  it("registers every function of the app from the one bundled file", async () => {
    const outDir = mkdtempSync(path.join(tmpdir(), "arc-wi-build-"));
    const outfile = await bundleFunctionApp(path.join(outDir, "main.mjs"));
    expect(readdirSync(outDir)).toEqual(["main.mjs"]);
    const registry = installFunctionsCore();
    const before = registry.functions.size;

    await import(pathToFileURL(outfile).href);

    // One registration file per function, plus the start hook's file.
    const registered = registry.functions.size - before;
    expect(registered).toBeGreaterThan(0);
    expect(registered + 1).toBe(functionEntryFiles().length);
  }, 60_000);
});
