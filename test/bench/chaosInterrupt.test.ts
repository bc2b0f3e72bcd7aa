/**
 * `npm run chaos` stopped midway: SIGTERM to the chaos process alone (its children get no
 * signal) still stops the emulator, Azurite and the workers, removes its CA file and exits 130.
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

describe("npm run chaos on SIGTERM", () => {
  it("stops every process it started, removes its CA file and exits 130", async () => {
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

    process.kill(child.pid!, "SIGTERM");

    expect(await exited).toBe(130);
    expect(stderr).toContain("chaos: interrupted; nothing was checked");
    expect(processesInGroup(child.pid!)).toEqual([]);
    expect(existsSync(path.join(tmpdir(), `arc-wi-chaos-ca-${child.pid}.pem`))).toBe(false);
  }, 120_000);
});
