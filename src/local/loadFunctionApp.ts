import { readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { installFunctionsCore, type CapturedRegistry } from "./functionsCore.js";

/** The app's registration files, as package.json's `main` glob (`src/functions/*.js`) finds them. */
const FUNCTIONS_DIR = fileURLToPath(new URL("../functions/", import.meta.url));

/**
 * Loads the Function app the way the worker does: installs the fake `@azure/functions-core`,
 * then imports every top-level file of `src/functions`, whose `app.*` calls register the
 * functions and hooks. Loading twice in one process registers nothing new.
 */
export async function loadFunctionApp(): Promise<CapturedRegistry> {
  const registry = installFunctionsCore();
  const entries = await readdir(FUNCTIONS_DIR, { withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && /\.(ts|js)$/.test(e.name) && !e.name.endsWith(".d.ts"))
    .map((e) => path.join(FUNCTIONS_DIR, e.name))
    .sort();

  for (const file of files) {
    // A .ts file imports fine under tsx or vitest; the built app has the .js files only.
    await import(pathToFileURL(file).href);
  }
  return registry;
}
