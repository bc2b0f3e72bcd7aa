import { setTimeout as sleep } from "node:timers/promises";

import { ArmRequestError } from "../arm/armRequestError.js";

/** A token bucket per subscription. @see https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling */
export interface WriteLimiterOptions {
  /** Tokens in a full bucket. @default 200 (ARM writes per subscription and principal) */
  burst?: number;
  /** Tokens added per second. @default 10 */
  refillPerSecond?: number;
  /** Longest wait for a token before giving up with a requeue. @default 10000 */
  maxWaitMs?: number;
}

/**
 * Paces ARM writes under the subscription's budget so a fleet run is not a 429 storm. Each
 * instance paces to its own share (approximate by design, see DESIGN.md). A wait longer than
 * `maxWaitMs` throws a `Throttled` error that the engine turns into "requeue after N".
 */
export class WriteLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly burst: number;
  private readonly refill: number;
  private readonly maxWaitMs: number;

  constructor(options: WriteLimiterOptions = {}) {
    this.burst = options.burst ?? 200;
    this.refill = options.refillPerSecond ?? 10;
    this.maxWaitMs = options.maxWaitMs ?? 10_000;
  }

  /** Takes one write token for `subscriptionId`, waiting for it when the bucket is empty. */
  async acquire(subscriptionId: string): Promise<void> {
    const key = subscriptionId.toLowerCase();
    const now = Date.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.refill);
    bucket.at = now;
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 0) return;

    const waitMs = Math.ceil((-bucket.tokens / this.refill) * 1000);
    if (waitMs > this.maxWaitMs) {
      bucket.tokens += 1;
      throw new ArmRequestError({
        message: `write budget of subscription ${subscriptionId} is spent; retry in ${waitMs} ms`,
        code: "Throttled",
        statusCode: 429,
        retryAfterMs: waitMs,
      });
    }
    await sleep(waitMs);
  }
}
