import { setTimeout as sleep } from "node:timers/promises";

import { ArmRequestError } from "../arm/armRequestError.js";

/** A token bucket's size and refill. */
export interface PaceBucket {
  burst: number;
  perSecond: number;
}

/**
 * The budgets writes are paced under. @see https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling
 * and FACTS.md §4.2 for the identity service's own limits.
 */
export interface WriteLimiterOptions {
  /** ARM writes per subscription (and principal). @default 200 burst, 10/s */
  burst?: number;
  refillPerSecond?: number;
  /**
   * The identity service's limits on identity and credential writes: per subscription
   * (@default 2 burst, 2/s) and per identity (@default 1 burst, 0.25/s); `false` to pace under
   * ARM's budget only.
   */
  identityService?: { subscription?: PaceBucket; perIdentity?: PaceBucket } | false;
  /** Longest wait for a token before giving up with a requeue. @default 60000 */
  maxWaitMs?: number;
}

interface Bucket extends PaceBucket {
  tokens: number;
  at: number;
}

/**
 * Paces writes under every budget that binds them, so a fleet run is not a 429 storm: ARM's
 * bucket per subscription for every write, and for identity and credential writes also the
 * identity service's per-subscription and per-identity limits (which bind first: 2/s and
 * 0.25/s). Buckets go into debt, so callers queue in order. Each instance paces to its own
 * share (approximate by design, see DESIGN.md). A wait longer than `maxWaitMs` throws a
 * `Throttled` error that the engine turns into "requeue after N".
 */
export class WriteLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly arm: PaceBucket;
  private readonly msi: { subscription: PaceBucket; perIdentity: PaceBucket } | undefined;
  private readonly maxWaitMs: number;

  constructor(options: WriteLimiterOptions = {}) {
    this.arm = { burst: options.burst ?? 200, perSecond: options.refillPerSecond ?? 10 };
    const msi = options.identityService;
    this.msi =
      msi === false
        ? undefined
        : {
            subscription: msi?.subscription ?? { burst: 2, perSecond: 2 },
            perIdentity: msi?.perIdentity ?? { burst: 1, perSecond: 0.25 },
          };
    this.maxWaitMs = options.maxWaitMs ?? 60_000;
  }

  /**
   * Takes one write token from every budget the write spends, waiting for the slowest.
   * @param identityId - the userAssignedIdentity written (or whose credential is written);
   * absent for other resources (connectedClusters).
   * @throws ArmRequestError `Throttled` (429) when the wait would pass `maxWaitMs`.
   */
  async acquire(subscriptionId: string, identityId?: string): Promise<void> {
    const now = Date.now();
    const sub = subscriptionId.toLowerCase();
    const spent = [this.bucket(`arm:${sub}`, this.arm, now)];
    if (identityId && this.msi) {
      spent.push(this.bucket(`msi:${sub}`, this.msi.subscription, now));
      spent.push(this.bucket(`msi:${identityId.toLowerCase()}`, this.msi.perIdentity, now));
    }

    const waitMs = Math.max(
      ...spent.map((b) => (b.tokens >= 1 ? 0 : ((1 - b.tokens) / b.perSecond) * 1000)),
    );
    if (waitMs > this.maxWaitMs) {
      throw new ArmRequestError({
        message: `the write budget of subscription ${subscriptionId} is spent for the next ${Math.ceil(waitMs)} ms`,
        code: "Throttled",
        statusCode: 429,
        retryAfterMs: Math.ceil(waitMs),
      });
    }
    for (const b of spent) b.tokens -= 1;
    if (waitMs > 0) await sleep(Math.ceil(waitMs));
  }

  private bucket(key: string, size: PaceBucket, now: number): Bucket {
    const bucket = this.buckets.get(key) ?? { ...size, tokens: size.burst, at: now };
    bucket.tokens = Math.min(
      size.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * size.perSecond,
    );
    bucket.at = now;
    this.buckets.set(key, bucket);
    return bucket;
  }
}
