/**
 * `npm run chaos` stopped midway, by SIGTERM to the chaos process alone (its children get no
 * signal), by Ctrl-C (SIGINT to the whole group, so the children stop by themselves too), or by
 * two signals in a row: the emulator, Azurite and the workers are stopped, the CA file is
 * removed, and the exit code is 130.
 */
import { spawn, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

/** Live processes of a group (a `<defunct>` one has exited and waits to be reaped). */
function processesInGroup(pgid: number): string[] {
  const list = execFileSync("ps", ["-eo", "pid=,pgid=,args="], { encoding: "utf8" });
  return list
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols[1] === String(pgid) && !cols.includes("<defunct>"))
    .map((cols) => cols.join(" "));
}

describe("npm run chaos, interrupted", () => {
  it.each([
    ["SIGTERM to the chaos process", "SIGTERM", false, 1],
    ["Ctrl-C to its process group", "SIGINT", true, 1],
    ["SIGTERM twice to the chaos process", "SIGTERM", false, 2],
  ] as const)(
    "stops everything after %s",
    async (_, signal, toGroup, times) => {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "bench/chaos.ts", "--quick", "--clusters", "2", "--kills", "0"],
        { cwd: ROOT, detached: true, stdio: ["ignore", "ignore", "pipe"] },
      );
      let stderr = "";
      const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
      await new Promise<void>((resolve) =>
        child.stderr.on("data", (d: Buffer) => {
          stderr += d.toString();
          if (stderr.includes("workers up")) resolve();
        }),
      );
      expect(processesInGroup(child.pid!).length).toBeGreaterThan(3);

      for (let i = 0; i < times; i++) process.kill(toGroup ? -child.pid! : child.pid!, signal);

      expect(await exited).toBe(130);
      expect(stderr).not.toMatch(/Error|failed/);
      expect(processesInGroup(child.pid!)).toEqual([]);
      expect(existsSync(path.join(tmpdir(), `arc-wi-chaos-ca-${child.pid}.pem`))).toBe(false);
    },
    120_000,
  );
});
