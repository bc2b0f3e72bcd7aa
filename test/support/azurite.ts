import { afterAll, beforeAll } from "vitest";

import { startAzurite, type RunningAzurite } from "../../src/local/azurite.js";

/**
 * Starts one in-memory Azurite for the calling test file and stops it after the file.
 * Read `.connectionString` inside tests or hooks (it is set once `beforeAll` has run).
 */
export function useAzurite(): { readonly connectionString: string } {
  let running: RunningAzurite | undefined;

  beforeAll(async () => {
    running = await startAzurite();
  });
  afterAll(async () => {
    await running?.stop();
  });

  return {
    get connectionString(): string {
      if (!running) throw new Error("Azurite is not started yet: read it inside a test or hook.");
      return running.connectionString;
    },
  };
}
