/**
 * Throttling as ARM and the identity service do it: token buckets that refill on the emulator
 * clock, per subscription for ARM (reads, writes, deletes) and per tenant, subscription and
 * resource for Microsoft.ManagedIdentity (FACTS §4.2 and §5).
 */
import type { BucketConfig, EmulatorConfig, MsiScopeLimits } from "./config.js";
import { ArmError, armErrors } from "./errors.js";

export type RequestKind = "read" | "write" | "delete";
export type MsiOperation = keyof MsiScopeLimits;

class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly config: BucketConfig,
    now: number,
  ) {
    this.tokens = config.burst;
    this.last = now;
  }

  /** Tokens left at `now` after refilling. */
  peek(now: number): number {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.tokens = Math.min(this.config.burst, this.tokens + elapsed * this.config.refillPerSec);
    this.last = Math.max(this.last, now);
    return this.tokens;
  }

  /** Emulator ms until one token is there (0 if one is there now). */
  msUntilToken(now: number): number {
    const missing = 1 - this.peek(now);
    if (missing <= 0) return 0;
    return this.config.refillPerSec > 0 ? (missing / this.config.refillPerSec) * 1000 : 3_600_000;
  }

  take(now: number): number {
    this.peek(now);
    this.tokens -= 1;
    return this.tokens;
  }
}

/** What the MSI limits are charged against for one request. */
export interface MsiCharge {
  operation: MsiOperation;
  tenantId: string;
  subscriptionId: string;
  /** Resource keys charged at the per-resource scope (a credential write may add its identity). */
  resources: string[];
}

export interface ThrottleVerdict {
  /** Headers to send whatever the outcome (`x-ms-ratelimit-remaining-*`). */
  headers: Record<string, string>;
  /** Set when the request is refused; its delay is in emulator ms. */
  error?: ArmError;
  retryAfterMs?: number;
}

export class Throttler {
  private buckets = new Map<string, TokenBucket>();

  constructor(private config: EmulatorConfig["throttling"]) {}

  /** New limits: buckets start full again. */
  reconfigure(config: EmulatorConfig["throttling"]): void {
    this.config = config;
    this.buckets.clear();
  }

  /** Charges one request against ARM's bucket and, for identity requests, the MSI limits. */
  charge(input: {
    now: number;
    subscriptionId?: string;
    kind: RequestKind;
    msi?: MsiCharge;
  }): ThrottleVerdict {
    const { now, subscriptionId, kind, msi } = input;
    const armConfig = this.armBucketConfig(kind);
    const header = `x-ms-ratelimit-remaining-subscription-${kind}s`;
    if (!this.config.enabled || subscriptionId === undefined) {
      return { headers: subscriptionId === undefined ? {} : { [header]: String(armConfig.burst) } };
    }

    const arm = this.bucket(`arm/${subscriptionId}/${kind}`, armConfig, now);
    const msiBuckets = msi === undefined ? [] : this.msiBuckets(msi, now);

    const armWait = arm.msUntilToken(now);
    if (armWait > 0) {
      const seconds = Math.max(1, Math.ceil(armWait / 1000));
      return {
        headers: { [header]: "0" },
        error: armErrors.throttledArm(kind, subscriptionId, seconds),
        retryAfterMs: armWait,
      };
    }
    const blocked = msiBuckets.find(({ bucket }) => bucket.msUntilToken(now) > 0);
    if (blocked !== undefined) {
      const retryAfterMs = Math.max(...msiBuckets.map(({ bucket }) => bucket.msUntilToken(now)));
      return {
        headers: { [header]: String(Math.floor(arm.peek(now))) },
        error: armErrors.throttledMsi(blocked.scope),
        retryAfterMs,
      };
    }

    const remaining = arm.take(now);
    for (const { bucket } of msiBuckets) bucket.take(now);
    return { headers: { [header]: String(Math.max(0, Math.floor(remaining))) } };
  }

  private armBucketConfig(kind: RequestKind): BucketConfig {
    if (kind === "read") return this.config.reads;
    return kind === "write" ? this.config.writes : this.config.deletes;
  }

  private msiBuckets(msi: MsiCharge, now: number): { scope: string; bucket: TokenBucket }[] {
    const limits = this.config.msi;
    const op = msi.operation;
    return [
      {
        scope: "tenant",
        bucket: this.bucket(`msi/t/${msi.tenantId}/${op}`, limits.tenant[op], now),
      },
      {
        scope: "subscription",
        bucket: this.bucket(`msi/s/${msi.subscriptionId}/${op}`, limits.subscription[op], now),
      },
      ...msi.resources.map((resource) => ({
        scope: "resource",
        bucket: this.bucket(`msi/r/${resource}/${op}`, limits.perResource[op], now),
      })),
    ];
  }

  private bucket(key: string, config: BucketConfig, now: number): TokenBucket {
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = new TokenBucket(config, now);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}

/** The Retry-After headers for a delay of `emulatorMs`, in real time, in the configured style. */
export function retryAfterHeaders(
  emulatorMs: number,
  timeScale: number,
  style: "seconds" | "ms",
): Record<string, string> {
  const realMs = Math.max(1, Math.ceil(emulatorMs / timeScale));
  if (style === "ms") return { "retry-after-ms": String(realMs) };
  return { "retry-after": String(Math.max(1, Math.ceil(realMs / 1000))) };
}
