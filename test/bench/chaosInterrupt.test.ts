/**
 * `npm run chaos` stopped midway, by SIGTERM to the chaos process alone (its children get no
 * signal), by Ctrl-C (SIGINT to the whole group, so the children stop by themselves too), or by
 * two signals in a row: the emulator, Azurite and the workers are stopped, the CA file is
 * removed, and the exit code is 130.
 */
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { processesInGroup, spawnInGroup } from "../support/processGroup.js";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

describe("npm run chaos, interrupted", () => {
  it.each([
    ["SIGTERM to the chaos process", "SIGTERM", false, 1],
    ["Ctrl-C to its process group", "SIGINT", true, 1],
    ["SIGTERM twice to the chaos process", "SIGTERM", false, 2],
  ] as const)(
    "stops everything after %s",
    async (_, signal, toGroup, times) => {
      const chaos = spawnInGroup(
        ["--import", "tsx", "bench/chaos.ts", "--quick", "--clusters", "2", "--kills", "0"],
        { cwd: ROOT },
      );
      await chaos.saying("workers up");
      const child = chaos.child;
      expect(processesInGroup(child.pid!).length).toBeGreaterThan(3);

      for (let i = 0; i < times; i++) process.kill(toGroup ? -child.pid! : child.pid!, signal);

      expect(await chaos.exited).toBe(130);
      expect(chaos.stderr()).not.toMatch(/Error|failed/);
      expect(processesInGroup(child.pid!)).toEqual([]);
      expect(existsSync(path.join(tmpdir(), `arc-wi-chaos-ca-${child.pid}.pem`))).toBe(false);
    },
    120_000,
  );
});
