/**
 * A command run in its own process group, as a terminal runs it, for tests that interrupt it
 * and then look for anything of its group still running.
 */
import { execFileSync, spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable } from "node:stream";

/** A detached child: its stderr so far, when it closes, and when its stderr says a phrase. */
export interface GroupedChild {
  child: ChildProcessByStdio<null, null, Readable>;
  stderr(): string;
  /** The exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** Resolves once stderr contains `text`. */
  saying(text: string): Promise<void>;
}

/** Starts `args` with node, detached (its pid is its group's id), stderr captured. */
export function spawnInGroup(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): GroupedChild {
  const child = spawn(process.execPath, args, {
    ...options,
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return {
    child,
    stderr: () => stderr,
    exited: new Promise((resolve) => child.on("close", resolve)),
    saying: (text) =>
      new Promise((resolve) => {
        const look = () => stderr.includes(text) && (child.stderr.off("data", look), resolve());
        child.stderr.on("data", look);
        look();
      }),
  };
}

/** Live processes of a group (a `<defunct>` one has exited and waits to be reaped). */
export function processesInGroup(pgid: number): string[] {
  const list = execFileSync("ps", ["-eo", "pid=,pgid=,args="], { encoding: "utf8" });
  return list
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols[1] === String(pgid) && !cols.includes("<defunct>"))
    .map((cols) => cols.join(" "));
}
