import { randomUUID } from "node:crypto";

import type { DequeuedMessageItem, QueueClient } from "@azure/storage-queue";

import type { HostQueueSettings } from "../lib/queue/hostQueueSettings.js";
import { tryDecodeQueueMessage } from "../lib/queue/queueMessageCodec.js";
import { InvocationContext } from "./functionsClasses.js";
import type { CapturedFunction } from "./functionsCore.js";
import type { InvocationLog } from "./invocationLog.js";

/** Options of {@link QueueDriver}. */
export interface QueueDriverOptions {
  fn: CapturedFunction;
  queue: QueueClient;
  poison: QueueClient;
  settings: HostQueueSettings;
  log: InvocationLog;
  /** First wait after an empty poll; doubles up to host.json's maxPollingInterval. @default 50 */
  minPollMs?: number;
}

/** While a message is processed it stays invisible this long, renewed at half of it. */
const LEASE_SECONDS = 60;

/**
 * Drives one queue-triggered function as the Functions host does: polls in batches of
 * `batchSize`, decodes with `messageEncoding`, passes JSON as an object, deletes on success,
 * makes a failed message visible again after `visibilityTimeout`, and moves it to
 * `<queue>-poison` once it has failed `maxDequeueCount` times (or cannot be decoded).
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger#poison-messages
 */
export class QueueDriver {
  private running = false;
  private inFlight = 0;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly options: QueueDriverOptions) {}

  /** Invocations running now. */
  get busy(): number {
    return this.inFlight;
  }

  /** Starts polling. */
  start(): void {
    this.running = true;
    this.loop = this.poll();
  }

  /** Stops polling and waits for running invocations to end. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async poll(): Promise<void> {
    let idleMs = this.options.minPollMs ?? 50;
    while (this.running) {
      const batch = await this.receive();
      if (batch.length > 0) {
        idleMs = this.options.minPollMs ?? 50;
        await Promise.all(batch.map((item) => this.process(item).catch(() => undefined)));
        continue;
      }
      await this.sleep(idleMs);
      idleMs = Math.min(idleMs * 2, this.options.settings.maxPollingIntervalMs);
    }
  }

  private async receive(): Promise<DequeuedMessageItem[]> {
    try {
      const response = await this.options.queue.receiveMessages({
        numberOfMessages: Math.min(32, this.options.settings.batchSize),
        visibilityTimeout: LEASE_SECONDS,
      });
      return response.receivedMessageItems;
    } catch {
      // Storage went away (stopping, or Azurite restarting): poll again later.
      return [];
    }
  }

  /** Processes one message; a storage failure leaves it to reappear after its lease. */
  private async process(item: DequeuedMessageItem): Promise<void> {
    const text = tryDecodeQueueMessage(item.messageText, this.options.settings.messageEncoding);
    if (text === undefined) return this.moveToPoison(item);

    this.inFlight++;
    const renewal = this.keepInvisible(item);
    try {
      await this.invoke(item, text);
      await renewal.stop();
      await this.options.queue.deleteMessage(item.messageId, renewal.popReceipt());
    } catch {
      await renewal.stop();
      await this.afterFailure(item, renewal.popReceipt());
    } finally {
      this.inFlight--;
    }
  }

  private async invoke(item: DequeuedMessageItem, text: string): Promise<void> {
    const { fn, log } = this.options;
    const context = new InvocationContext({
      invocationId: randomUUID(),
      functionName: fn.name,
      logHandler: (level, ...args) => log(level, fn.name, args),
      triggerMetadata: {
        id: item.messageId,
        dequeueCount: item.dequeueCount,
        insertionTime: item.insertedOn.toISOString(),
        expirationTime: item.expiresOn.toISOString(),
      },
    });
    await fn.handler(parseJsonOrText(text), context);
  }

  private async afterFailure(item: DequeuedMessageItem, popReceipt: string): Promise<void> {
    if (item.dequeueCount >= this.options.settings.maxDequeueCount) {
      return this.moveToPoison({ ...item, popReceipt });
    }
    const visibilityTimeout = Math.ceil(this.options.settings.visibilityTimeoutMs / 1000);
    await this.options.queue.updateMessage(
      item.messageId,
      popReceipt,
      undefined,
      visibilityTimeout,
    );
  }

  private async moveToPoison(item: DequeuedMessageItem): Promise<void> {
    // The host creates the poison queue the first time it needs it.
    await this.options.poison.createIfNotExists();
    await this.options.poison.sendMessage(item.messageText);
    await this.options.queue.deleteMessage(item.messageId, item.popReceipt);
  }

  /** Renews the message's invisibility while the function runs (the host does the same). */
  private keepInvisible(item: DequeuedMessageItem) {
    let popReceipt = item.popReceipt;
    let chain = Promise.resolve();
    const timer = setInterval(
      () => {
        chain = chain
          .then(() =>
            this.options.queue.updateMessage(item.messageId, popReceipt, undefined, LEASE_SECONDS),
          )
          .then((r) => void (popReceipt = r.popReceipt ?? popReceipt))
          .catch(() => undefined);
      },
      (LEASE_SECONDS * 1000) / 2,
    );
    return {
      popReceipt: () => popReceipt,
      stop: async () => {
        clearInterval(timer);
        await chain;
      },
    };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
