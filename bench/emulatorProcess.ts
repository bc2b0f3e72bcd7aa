/**
 * Child-process entry that runs the ARM emulator for the bench and the chaos run, so the
 * engine being measured has its own process (and core). It starts the emulator from the JSON
 * in `ARC_WI_BENCH_EMULATOR`, reports `{ready, url, caPem, tenantId}` over IPC, then answers
 * requests `{id, op, arg}` with `{id, result}` or `{id, error}`.
 */
import {
  startEmulator,
  type RunningEmulator,
  type StartEmulatorOptions,
} from "../src/emulator/index.js";

export type EmulatorOp = "seed" | "log" | "clearLog" | "configure" | "advanceClock" | "stop";

export interface EmulatorRequest {
  id: number;
  op: EmulatorOp;
  arg?: unknown;
}

async function handle(emulator: RunningEmulator, request: EmulatorRequest): Promise<unknown> {
  switch (request.op) {
    case "seed":
      return emulator.seed(request.arg as Parameters<RunningEmulator["seed"]>[0]);
    case "log":
      return emulator.requestLog;
    case "clearLog":
      return emulator.clearRequestLog();
    case "configure":
      return emulator.configure(request.arg as Parameters<RunningEmulator["configure"]>[0]);
    case "advanceClock":
      return emulator.advanceClock(request.arg as number);
    case "stop":
      await emulator.stop();
      setImmediate(() => process.exit(0));
      return undefined;
  }
}

async function main(): Promise<void> {
  const options = JSON.parse(process.env.ARC_WI_BENCH_EMULATOR ?? "{}") as StartEmulatorOptions;
  const emulator = await startEmulator({ ...options, log: () => undefined });
  process.on("message", (message: EmulatorRequest) => {
    // The parent may be gone by the time the answer is ready (Ctrl-C reaches both).
    const reply = (answer: object) => {
      if (process.connected)
        process.send?.({ id: message.id, ...answer }, undefined, {}, () => undefined);
    };
    handle(emulator, message).then(
      (result) => reply({ result }),
      (error: unknown) => reply({ error: String(error) }),
    );
  });
  process.on("disconnect", () => void emulator.stop().then(() => process.exit(0)));
  process.send?.({
    ready: true,
    url: emulator.url,
    caPem: emulator.caPem,
    tenantId: emulator.tenantId,
  });
}

void main();
