import { InvocationContext } from "@azure/functions";

import { NAMES } from "../../src/lib/config/names.js";
import { createQueueClient } from "../../src/lib/config/storageConnection.js";
import { readHostQueueSettings } from "../../src/lib/queue/hostQueueSettings.js";
import { tryDecodeQueueMessage } from "../../src/lib/queue/queueMessageCodec.js";
import type { SyncMessage } from "../../src/lib/queue/syncMessage.js";
import type { Reconciler } from "../../src/lib/reconcile/contract.js";
import type { AppRuntime } from "../../src/functions/runtime/appRuntime.js";
import {
  buildAppRuntime,
  type BuildAppRuntimeOptions,
} from "../../src/functions/runtime/buildAppRuntime.js";
import { SCOPE } from "./scriptedReconciler.js";

/** A seeded source of numbers in [0, 1). */
export function seededRandom(seed = 42): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** A real InvocationContext whose log lines are captured. */
export function capturingContext(functionName = "test"): {
  context: InvocationContext;
  lines: string[];
} {
  const lines: string[] = [];
  const context = new InvocationContext({
    functionName,
    logHandler: (level, ...args) => lines.push(`${level} ${args.map(String).join(" ")}`),
  });
  return { context, lines };
}

/** A runtime over Azurite with fresh (emptied) queues. */
export async function freshRuntime(
  connectionString: string,
  reconciler: Reconciler,
  extra: Partial<BuildAppRuntimeOptions> = {},
): Promise<AppRuntime> {
  const runtime = await buildAppRuntime({
    storage: { connectionString },
    reconciler,
    allowedScopes: [SCOPE],
    random: seededRandom(),
    ...extra,
  });
  await createQueueClient({ connectionString }, NAMES.syncQueue).clearMessages();
  await runtime.poisonQueue.clearMessages();
  return runtime;
}

/** Every message in the sync queue (visible or not), decoded, with its remaining delay. */
export async function readSyncQueue(
  connectionString: string,
): Promise<{ message: SyncMessage; visible: boolean }[]> {
  const settings = await readHostQueueSettings();
  const client = createQueueClient({ connectionString }, NAMES.syncQueue);
  const total = (await client.getProperties()).approximateMessagesCount ?? 0;
  const visible = (await client.peekMessages({ numberOfMessages: 32 })).peekedMessageItems;
  const decoded = visible.map((m) => ({
    message: JSON.parse(
      tryDecodeQueueMessage(m.messageText, settings.messageEncoding)!,
    ) as SyncMessage,
    visible: true,
  }));
  const hidden = Array.from({ length: total - visible.length }, () => ({
    message: undefined as unknown as SyncMessage,
    visible: false,
  }));
  return [...decoded, ...hidden];
}
