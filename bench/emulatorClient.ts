/** Starts the emulator in a child process (bench/emulatorProcess.ts) and talks to it over IPC. */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

import type {
  DeepPartial,
  EmulatorConfig,
  EmulatorSeed,
  RequestLogEntry,
  StartEmulatorOptions,
} from "../src/emulator/index.js";
import { hasExited } from "../src/local/hasExited.js";
import type { EmulatorOp } from "./emulatorProcess.js";

/** The emulator in its own process. */
export interface EmulatorChild {
  url: string;
  caPem: string;
  seed(seed: EmulatorSeed): Promise<void>;
  requestLog(): Promise<RequestLogEntry[]>;
  clearRequestLog(): Promise<void>;
  configure(patch: DeepPartial<EmulatorConfig>): Promise<void>;
  stop(): Promise<void>;
  /** Kills the process at once (SIGKILL), for an exit that cannot wait. */
  killNow(): void;
}

const ENTRY = fileURLToPath(new URL("./emulatorProcess.ts", import.meta.url));

interface Reply {
  id?: number;
  result?: unknown;
  error?: string;
  ready?: boolean;
  url?: string;
  caPem?: string;
}

/** Forks the emulator with `options` (without `log`, which cannot cross processes). */
export async function forkEmulator(
  options: Omit<StartEmulatorOptions, "log">,
): Promise<EmulatorChild> {
  const child = fork(ENTRY, [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, ARC_WI_BENCH_EMULATOR: JSON.stringify(options) },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const ready = await waitForReady(child);
  const call = createCaller(child);
  return {
    url: ready.url!,
    caPem: ready.caPem!,
    seed: async (seed) => void (await call("seed", seed)),
    requestLog: async () => (await call("log")) as RequestLogEntry[],
    clearRequestLog: async () => void (await call("clearLog")),
    configure: async (patch) => void (await call("configure", patch)),
    stop: async () => {
      if (hasExited(child)) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      // A Ctrl-C reaches the child too: it may be gone, or going, with its channel closed.
      if (child.connected) await call("stop").catch(() => undefined);
      else child.kill("SIGTERM");
      if (!hasExited(child)) await exited;
    },
    killNow: () => void (hasExited(child) || child.kill("SIGKILL")),
  };
}

function waitForReady(child: ChildProcess): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Reply) => {
      if (!message.ready) return;
      child.off("message", onMessage);
      resolve(message);
    };
    child.on("message", onMessage);
    child.once("exit", (code) => reject(new Error(`the emulator process exited (${code})`)));
  });
}

function createCaller(child: ChildProcess): (op: EmulatorOp, arg?: unknown) => Promise<unknown> {
  let next = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on("message", (message: Reply) => {
    const waiter = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id!);
    if (message.error !== undefined) waiter.reject(new Error(message.error));
    else waiter.resolve(message.result);
  });
  child.once("exit", () => pending.forEach((w) => w.reject(new Error("the emulator exited"))));
  return (op, arg) =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      child.send({ id, op, arg }, (error) => {
        if (!error) return;
        pending.delete(id);
        reject(error);
      });
    });
}
