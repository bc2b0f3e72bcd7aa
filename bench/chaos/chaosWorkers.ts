/**
 * Worker processes for the chaos run: each is the local host runner (`src/local/main.ts`)
 * driving the sync queue against Azurite and the emulator. They are killed with SIGKILL (no
 * clean-up, as a crashed instance) and started again.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

import { hasExited } from "../../src/local/hasExited.js";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const READY_TIMEOUT_MS = 60_000;

/** A pool of worker processes that can be killed and replaced. */
export class WorkerPool {
  private readonly workers: ChildProcess[] = [];
  kills = 0;
  starts = 0;

  /**
   * @param env - the workers' environment.
   * @param logFd - an open file the workers' stderr (their function logs) goes to.
   */
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFd: number | "ignore" = "ignore",
  ) {}

  /** Starts `count` workers and waits until each polls its queue. */
  async start(count: number): Promise<void> {
    for (let i = 0; i < count; i++) this.workers.push(await this.spawnWorker());
  }

  /** Kills worker `index` (mod the pool size) at once and starts a replacement. */
  async killAndReplace(index: number): Promise<void> {
    const slot = index % this.workers.length;
    const victim = this.workers[slot]!;
    victim.kill("SIGKILL");
    this.kills++;
    await new Promise((resolve) =>
      hasExited(victim) ? resolve(undefined) : victim.once("exit", resolve),
    );
    this.workers[slot] = await this.spawnWorker();
  }

  /** Kills every worker at once (SIGKILL), for an exit that cannot wait for {@link stop}. */
  killNow(): void {
    for (const w of this.workers) if (!hasExited(w)) w.kill("SIGKILL");
  }

  /** Stops every worker cleanly (SIGTERM), killing any that does not exit in 3 s. */
  async stop(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (hasExited(w)) return resolve();
            const timer = setTimeout(() => w.kill("SIGKILL"), 3000);
            w.once("exit", () => {
              clearTimeout(timer);
              resolve();
            });
            w.kill("SIGTERM");
          }),
      ),
    );
  }

  private spawnWorker(): Promise<ChildProcess> {
    this.starts++;
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "src", "local", "main.ts")],
      {
        cwd: ROOT,
        env: this.env,
        stdio: ["ignore", "pipe", this.logFd],
      },
    );
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error("a chaos worker did not report ready")),
        READY_TIMEOUT_MS,
      );
      let text = "";
      const onData = (chunk: Buffer) => {
        text += chunk.toString("utf8");
        if (!text.includes('"event":"ready"')) return;
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        child.stdout?.resume();
        resolve(child);
      };
      child.stdout?.on("data", onData);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`a chaos worker exited before it was ready (${code})`));
      });
    });
  }
}
