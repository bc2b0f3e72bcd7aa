import { spawn, type ChildProcess } from "node:child_process";

import { hasExited } from "../../src/local/hasExited.js";

/** A local host runner in its own process (src/local/main.ts). */
export interface WorkerProcess {
  /** What it wrote to stderr so far (its JSON log lines). */
  stderr: () => string;
  stop(): Promise<void>;
}

/**
 * Starts `node --import tsx src/local/main.ts` with `env` laid over this process's, and waits
 * for its ready line.
 */
export function startWorkerProcess(
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/local/main.ts"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`no ready line within ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`Worker process did not start: ${why}.\n${stderr}`));
    };
    child.once("exit", (code) => fail(`exited with ${String(code)}`));
    child.stdout?.on("data", (chunk: Buffer) => {
      if (!chunk.toString("utf8").includes('"event":"ready"')) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      resolve({ stderr: () => stderr, stop: () => stopChild(child) });
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
