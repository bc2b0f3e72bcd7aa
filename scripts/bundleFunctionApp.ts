/**
 * The deployable build: every registration file of src/functions bundled by esbuild into one
 * ESM file (`dist/main.mjs`, package.json's `main`), so a cold start loads one file instead of
 * hundreds of modules. `@azure/functions-core` stays external: the Functions worker provides it.
 */
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { build } from "esbuild";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Bundled CommonJS dependencies call require(); ESM output needs one. */
export const REQUIRE_SHIM =
  "import { createRequire as __arcWiCreateRequire } from 'node:module'; const require = __arcWiCreateRequire(import.meta.url);";

/** The registration files: the top-level .ts files of src/functions. */
export function functionEntryFiles(): string[] {
  const dir = path.join(ROOT, "src", "functions");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Bundles the Function app into `outfile`. @returns `outfile` */
export async function bundleFunctionApp(outfile: string): Promise<string> {
  mkdirSync(path.dirname(outfile), { recursive: true });
  // The entry is given on stdin, so nothing but the bundle is left in the output folder.
  const imports = functionEntryFiles().map((f) => `import ${JSON.stringify(f)};`);
  await build({
    stdin: { contents: imports.join("\n"), resolveDir: ROOT, sourcefile: "functions.ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile,
    banner: { js: REQUIRE_SHIM },
    external: ["@azure/functions-core"],
    logLevel: "warning",
  });
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // dist/ is deployed whole: start it empty, so nothing stale from an earlier build ships.
  rmSync(path.join(ROOT, "dist"), { recursive: true, force: true });
  const outfile = await bundleFunctionApp(path.join(ROOT, "dist", "main.mjs"));
  process.stdout.write(`built ${path.relative(ROOT, outfile)}\n`);
}
