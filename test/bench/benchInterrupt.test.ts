/**
 * `npm run bench` interrupted during its cold-start step (the one that starts Azurite and
 * builds into node_modules/.cache): SIGTERM to the bench process alone leaves no process of its
 * group and no build folder behind, writes no results, and exits 130.
 */
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { processesInGroup, spawnInGroup } from "../support/processGroup.js";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const CACHE = path.join(ROOT, "node_modules", ".cache");

const coldStartFolders = () =>
  existsSync(CACHE) ? readdirSync(CACHE).filter((f) => f.startsWith("arc-wi-cold-")) : [];

describe("npm run bench, interrupted", () => {
  it("stops Azurite, removes its builds and exits 130 on SIGTERM", async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), "arc-wi-bench-int-")), "r.json");
    const bench = spawnInGroup(
      ["--import", "tsx", "bench/main.ts", "--quick", "--clusters", "1", "--out", out],
      { cwd: ROOT },
    );
    await bench.saying("Azurite up");
    expect(coldStartFolders()).not.toEqual([]);

    process.kill(bench.child.pid!, "SIGTERM");

    expect(await bench.exited).toBe(130);
    expect(bench.stderr()).toContain("bench: interrupted; no figures written");
    expect(processesInGroup(bench.child.pid!)).toEqual([]);
    expect(coldStartFolders()).toEqual([]);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
