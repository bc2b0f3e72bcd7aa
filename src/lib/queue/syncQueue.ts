import type { QueueClient } from "@azure/storage-queue";

import type { HostQueueSettings } from "./hostQueueSettings.js";
import { encodeQueueMessage } from "./queueMessageCodec.js";
import type { SyncMessage } from "./syncMessage.js";

/** Options of {@link SyncQueue.enqueueMany}. */
export interface EnqueueManyOptions {
  /**
   * Pacing: messages become visible at most this many per second (each gets a growing
   * visibility delay), so a fleet-wide enqueue does not flood the workers or ARM.
   * @default 10
   */
  perSecond?: number;
  /** Messages sent at once. @default 16 */
  concurrency?: number;
}

/** Storage queues cap the visibility delay at seven days. */
const MAX_DELAY_SECONDS = 7 * 24 * 3600;

/**
 * The cluster-sync queue as producers see it: messages encoded as host.json says, with an
 * optional visibility delay (requeues while waiting, Retry-After, pacing).
 * @see https://learn.microsoft.com/rest/api/storageservices/put-message
 */
export class SyncQueue {
  constructor(
    private readonly client: QueueClient,
    private readonly settings: HostQueueSettings,
  ) {}

  /** The queue's name. */
  get name(): string {
    return this.client.name;
  }

  /** Messages in the queue, visible or delayed (Storage's approximate count). */
  async approximateCount(): Promise<number> {
    return (await this.client.getProperties()).approximateMessagesCount ?? 0;
  }

  /** Creates the queue when it does not exist. */
  async ensureExists(): Promise<void> {
    await this.client.createIfNotExists();
  }

  /**
   * Sends one message, visible after `delayMs` (rounded up to whole seconds, capped at 7 days).
   */
  async enqueue(message: SyncMessage, delayMs = 0): Promise<void> {
    const text = encodeQueueMessage(JSON.stringify(message), this.settings.messageEncoding);
    const visibilityTimeout = Math.min(MAX_DELAY_SECONDS, Math.ceil(Math.max(0, delayMs) / 1000));
    await this.client.sendMessage(text, visibilityTimeout > 0 ? { visibilityTimeout } : {});
  }

  /**
   * Sends many messages, paced by visibility delays; returns once all are sent.
   * @returns how many were sent.
   */
  async enqueueMany(messages: SyncMessage[], options: EnqueueManyOptions = {}): Promise<number> {
    const perSecond = Math.max(1, options.perSecond ?? 10);
    const concurrency = Math.max(1, options.concurrency ?? 16);

    let next = 0;
    const sendNext = async (): Promise<void> => {
      while (next < messages.length) {
        const index = next++;
        await this.enqueue(messages[index]!, Math.floor(index / perSecond) * 1000);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, sendNext));
    return messages.length;
  }
}
