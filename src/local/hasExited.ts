import type { ChildProcess } from "node:child_process";

/**
 * Whether a child process has ended, by itself or by a signal (a killed child keeps
 * `exitCode` null and sets `signalCode`): its `exit` event will not come again.
 */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}
