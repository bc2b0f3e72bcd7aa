import { setTimeout as sleep } from "node:timers/promises";

import type { PipelinePolicy } from "@azure/core-rest-pipeline";

import { ArmRequestError } from "./armRequestError.js";

/** A token bucket: `burst` requests at once, then `perSecond` more each second. */
export interface PaceBucket {
  burst: number;
  perSecond: number;
}

/** ARM's buckets per subscription (and principal), by kind of request. */
export interface ArmPace {
  reads: PaceBucket;
  writes: PaceBucket;
  deletes: PaceBucket;
}

/** The identity service's buckets at one scope, by operation. */
export interface IdentityServicePace {
  reads: PaceBucket;
  lists: PaceBucket;
  writes: PaceBucket;
  deletes: PaceBucket;
}

/** Every budget the pacer keeps a request under. */
export interface Pacing {
  arm: ArmPace;
  identityService: {
    tenant: IdentityServicePace;
    subscription: IdentityServicePace;
    /** Per identity (its GET, PUT, DELETE and credential list) and per credential. */
    perResource: IdentityServicePace;
    /** Whether a credential write also spends its identity's writes (FACTS.md §4.2: unconfirmed). */
    chargeCredentialWritesToIdentity: boolean;
  };
}

/**
 * Azure's published limits: ARM's token buckets (FACTS.md §5) and the identity service's
 * (FACTS.md §4.2: create/update 10/2/0.25 per second per tenant/subscription/resource, get
 * 30/10/0.5, list 15/5/0.25, delete 10/2/0.25).
 * @see https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling
 */
export const AZURE_PACING: Pacing = {
  arm: {
    reads: { burst: 250, perSecond: 25 },
    writes: { burst: 200, perSecond: 10 },
    deletes: { burst: 200, perSecond: 10 },
  },
  identityService: {
    tenant: msiScope(10, 30, 15),
    subscription: msiScope(2, 10, 5),
    perResource: {
      reads: { burst: 1, perSecond: 0.5 },
      lists: { burst: 1, perSecond: 0.25 },
      writes: { burst: 1, perSecond: 0.25 },
      deletes: { burst: 1, perSecond: 0.25 },
    },
    chargeCredentialWritesToIdentity: true,
  },
};

function msiScope(writes: number, reads: number, lists: number): IdentityServicePace {
  return {
    reads: { burst: reads, perSecond: reads },
    lists: { burst: lists, perSecond: lists },
    writes: { burst: writes, perSecond: writes },
    deletes: { burst: writes, perSecond: writes },
  };
}

/** Options of {@link RequestPacer}. */
export interface RequestPacerOptions {
  /**
   * The limits to pace under; `identityService: false` paces under ARM's buckets only (for an
   * emulator that does not throttle). @default AZURE_PACING
   */
  limits?: { arm?: ArmPace; identityService?: Pacing["identityService"] | false };
  /**
   * Share of every refill left unused, so a request that reaches Azure a little early (network
   * jitter) still finds a token. @default 0.03
   */
  headroom?: number;
  /** Longest wait for a token before giving up with a requeue. @default 60000 */
  maxWaitMs?: number;
  /** Time and sleeping (tests step a fake clock). @default Date.now and timers */
  clock?: PacerClock;
}

/** Where the pacer reads the time and how it waits. */
export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: PacerClock = { now: () => Date.now(), sleep: (ms) => sleep(ms) };

/** Tokens at a time; refilled lazily. */
interface Level {
  tokens: number;
  at: number;
}

/**
 * One budget, counted twice: `queued` goes into debt as callers take their turn (so they queue
 * in order), `sent` follows only what was actually sent, when it was sent, as Azure sees it.
 * Once fewer than two tokens are left, sends keep half a refill interval apart (`lastSentAt`),
 * so two never reach Azure's last token in the same instant after the network held one back.
 */
interface Bucket {
  size: PaceBucket;
  queued: Level;
  sent: Level;
  lastSentAt: number;
}

/** A budget one request spends: the bucket's key and its size. */
interface Charge {
  key: string;
  size: PaceBucket;
}

/** Buckets kept before refilled ones are dropped (one per identity and credential seen). */
const MAX_IDLE_BUCKETS = 10_000;

/**
 * Paces every ARM request, retries included, under each budget it spends: ARM's bucket per
 * subscription for its kind (read, write, delete), and for `Microsoft.ManagedIdentity` the
 * identity service's per-tenant, per-subscription and per-resource buckets for its operation
 * (GET, list, write, delete). It sits in the SDK pipeline (see {@link pacingPolicy}), so the
 * SDK's own retries of a 429 or 5xx wait their turn like first attempts.
 *
 * Callers queue in order (each bucket goes into debt), then, after their turn comes, check the
 * bucket once more against what was really sent: timers that fire late together (a busy event
 * loop) would otherwise send a bunch at once that Azure's bucket refuses. A 429 empties the
 * buckets of its request, since Azure's are empty. Each instance paces to its own share
 * (approximate by design, see DESIGN.md). A wait longer than `maxWaitMs` throws a `Throttled`
 * error, which the engine turns into "requeue after N".
 */
export class RequestPacer {
  private readonly buckets = new Map<string, Bucket>();
  private readonly arm: ArmPace;
  private readonly msi: Pacing["identityService"] | undefined;
  private readonly rate: number;
  private readonly maxWaitMs: number;
  private readonly clock: PacerClock;

  constructor(options: RequestPacerOptions = {}) {
    this.arm = options.limits?.arm ?? AZURE_PACING.arm;
    const msi = options.limits?.identityService;
    this.msi = msi === false ? undefined : (msi ?? AZURE_PACING.identityService);
    checkBuckets("arm", this.arm);
    if (this.msi !== undefined)
      for (const scope of ["tenant", "subscription", "perResource"] as const)
        checkBuckets(`identityService.${scope}`, this.msi[scope]);
    const headroom = options.headroom ?? 0.03;
    if (!(headroom >= 0 && headroom < 1)) throw new RangeError("headroom must be in [0, 1)");
    this.rate = 1 - headroom;
    this.maxWaitMs = options.maxWaitMs ?? 60_000;
    this.clock = options.clock ?? realClock;
  }

  /**
   * Takes one token from every budget the request spends, waiting for the slowest. A URL outside
   * any subscription (tenant-level reads) is not paced.
   * @throws ArmRequestError `Throttled` (429) when the wait would pass `maxWaitMs`.
   */
  async acquire(method: string, url: string): Promise<void> {
    const charges = this.chargesOf(method.toUpperCase(), new URL(url).pathname.toLowerCase());
    if (charges.length === 0) return;
    let now = this.clock.now();
    const spent = charges.map((c) => this.bucket(c, now));
    const waitMs = Math.max(...spent.map((b) => this.msUntilToken(b.queued, b.size, now)));
    const sendableMs = Math.max(...spent.map((b) => this.msUntilSendable(b, now)));
    const longestMs = Math.ceil(Math.max(waitMs, sendableMs));
    if (longestMs > this.maxWaitMs) {
      throw new ArmRequestError({
        message: `the request budget for ${method} ${new URL(url).pathname} is spent for the next ${longestMs} ms`,
        code: "Throttled",
        statusCode: 429,
        retryAfterMs: longestMs,
      });
    }
    for (const b of spent) b.queued.tokens -= 1;
    if (waitMs > 0) await this.clock.sleep(Math.ceil(waitMs));

    // Our turn: send only if what was really sent leaves a token, however late we woke.
    for (;;) {
      now = this.clock.now();
      const lateMs = Math.max(...spent.map((b) => this.msUntilSendable(b, now)));
      if (lateMs <= 0) break;
      await this.clock.sleep(Math.ceil(lateMs));
    }
    for (const b of spent) {
      b.sent.tokens -= 1;
      b.lastSentAt = now;
    }
  }

  /**
   * Ms until what was really sent allows one more: a token, and unless two are left (room for
   * one more arriving with it), half a refill interval since the last send.
   */
  private msUntilSendable(b: Bucket, now: number): number {
    const tokenMs = this.msUntilToken(b.sent, b.size, now);
    if (b.sent.tokens >= 2) return tokenMs;
    const halfInterval = 500 / (b.size.perSecond * this.rate);
    return Math.max(tokenMs, b.lastSentAt + halfInterval - now);
  }

  /** Azure refused a request with 429: its buckets are empty there, so empty them here too. */
  throttled(method: string, url: string): void {
    const now = this.clock.now();
    const charges = this.chargesOf(method.toUpperCase(), new URL(url).pathname.toLowerCase());
    for (const charge of charges) {
      const b = this.bucket(charge, now);
      b.queued.tokens = Math.min(b.queued.tokens, 0);
      b.sent.tokens = Math.min(b.sent.tokens, 0);
    }
  }

  /** The budgets a request spends, from its method and (lower-cased) path. */
  private chargesOf(method: string, path: string): Charge[] {
    const segments = path.split("/").filter((s) => s !== "");
    if (segments[0] !== "subscriptions" || segments[1] === undefined) return [];
    const sub = segments[1];
    const kind =
      method === "GET" || method === "HEAD" ? "reads" : method === "DELETE" ? "deletes" : "writes";
    const charges: Charge[] = [{ key: `arm/${sub}/${kind}`, size: this.arm[kind] }];
    const msi = this.msi === undefined ? undefined : identityTarget(segments);
    if (this.msi === undefined || msi === undefined) return charges;

    const op = msi.list ? "lists" : kind;
    charges.push(
      { key: `msi/tenant/${op}`, size: this.msi.tenant[op] },
      { key: `msi/${sub}/${op}`, size: this.msi.subscription[op] },
    );
    const resources = [msi.resource];
    if (msi.identity !== undefined && kind !== "reads" && this.msi.chargeCredentialWritesToIdentity)
      resources.push(msi.identity);
    for (const resource of resources)
      charges.push({ key: `msi/${resource}/${op}`, size: this.msi.perResource[op] });
    return charges;
  }

  /** Ms until `level` holds a whole token (0 when it does), after refilling it to `now`. */
  private msUntilToken(level: Level, size: PaceBucket, now: number): number {
    const perMs = (size.perSecond * this.rate) / 1000;
    this.refill(level, size, now);
    return level.tokens >= 1 ? 0 : (1 - level.tokens) / perMs;
  }

  private refill(level: Level, size: PaceBucket, now: number): void {
    const perMs = (size.perSecond * this.rate) / 1000;
    level.tokens = Math.min(size.burst, level.tokens + Math.max(0, now - level.at) * perMs);
    level.at = Math.max(level.at, now);
  }

  private bucket(charge: Charge, now: number): Bucket {
    const { key, size } = charge;
    if (this.buckets.size > MAX_IDLE_BUCKETS) this.dropRefilled(now);
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      const full = () => ({ tokens: size.burst, at: now });
      bucket = { size, queued: full(), sent: full(), lastSentAt: -Infinity };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /** Forgets buckets that have refilled: a new one starts full, so nothing changes. */
  private dropRefilled(now: number): void {
    for (const [key, b] of this.buckets) {
      this.refill(b.queued, b.size, now);
      this.refill(b.sent, b.size, now);
      if (b.queued.tokens >= b.size.burst && b.sent.tokens >= b.size.burst)
        this.buckets.delete(key);
    }
  }
}

/**
 * Refuses a bucket that could never hand out a token (the pacer would wait for ever): its
 * burst must be at least 1 and its refill a positive, finite rate.
 * @throws RangeError naming the bucket, e.g. `arm.writes`.
 */
function checkBuckets(scope: string, buckets: object): void {
  for (const [kind, size] of Object.entries(buckets) as [string, PaceBucket][]) {
    const { burst, perSecond } = size;
    if (!(burst >= 1 && Number.isFinite(burst) && perSecond > 0 && Number.isFinite(perSecond)))
      throw new RangeError(
        `pacing ${scope}.${kind} needs a burst of at least 1 and a positive perSecond, not ${JSON.stringify(size)}`,
      );
  }
}

/**
 * What an identity-service request touches: the per-resource bucket it spends, whether it is a
 * list, and for a credential the identity above it. Undefined for other providers.
 */
function identityTarget(
  segments: string[],
): { resource: string; list: boolean; identity?: string } | undefined {
  const at = segments.indexOf("microsoft.managedidentity");
  if (at < 0 || segments[at + 1] !== "userassignedidentities") return undefined;
  const identityName = segments[at + 2];
  const scope = segments.slice(0, at - 1).join("/");
  if (identityName === undefined) return { resource: scope, list: true };
  const identity = segments.slice(0, at + 3).join("/");
  if (segments[at + 3] !== "federatedidentitycredentials")
    return { resource: identity, list: false };
  const credential = segments[at + 4];
  if (credential === undefined) return { resource: identity, list: true };
  return { resource: `${identity}/${credential}`, list: false, identity };
}

/** The SDK pipeline policy that paces each attempt of a request (add it `perRetry`). */
export function pacingPolicy(pacer: RequestPacer): PipelinePolicy {
  return {
    name: "arcWiRequestPacer",
    sendRequest: async (request, next) => {
      await pacer.acquire(request.method, request.url);
      const response = await next(request);
      if (response.status === 429) pacer.throttled(request.method, request.url);
      return response;
    },
  };
}
