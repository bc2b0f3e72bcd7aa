/**
 * The emulator's behaviour switches: delays, throttling, faults and rules, with the three profiles
 * ("realistic", "demo", "test") they start from.
 */

/** A token bucket: `burst` requests at once, `refillPerSec` more each second of emulator time. */
export interface BucketConfig {
  burst: number;
  refillPerSec: number;
}

/** The identity service's limits at one scope, per kind of operation (FACTS §4.2). */
export interface MsiScopeLimits {
  writes: BucketConfig;
  reads: BucketConfig;
  lists: BucketConfig;
  deletes: BucketConfig;
}

export type FaultKind = "500" | "503" | "429" | "reset" | "slow";

export interface EmulatorConfig {
  /**
   * Emulator milliseconds per real millisecond. Every delay, bucket refill and Retry-After is
   * measured on the emulator clock, so a delay of D ms takes D / timeScale real ms.
   */
  timeScale: number;
  delays: {
    /** A new cluster stays `Connecting` this long, then turns `Connected`. */
    connectMs: number;
    /** After workload identity is switched, `arcAgentProfile.agentState` converges after this. */
    agentMs: number;
    /** After OIDC is enabled, `oidcIssuerProfile.issuerUrl` appears after this. */
    issuerMs: number;
    /** After an identity is created, its credentials 404 and a GET of it 404s for this long. */
    consistencyMs: number;
    /** Each credential write (PUT or DELETE) holds its identity this long. */
    ficWriteLatencyMs: number;
    /** An identity PUT takes this long to answer. */
    identityWriteLatencyMs: number;
    /** A connectedClusters long-running operation (PUT, async PATCH, DELETE) takes this long. */
    operationMs: number;
  };
  throttling: {
    enabled: boolean;
    /** ARM's per-subscription buckets (FACTS §5). */
    reads: BucketConfig;
    writes: BucketConfig;
    deletes: BucketConfig;
    msi: {
      tenant: MsiScopeLimits;
      subscription: MsiScopeLimits;
      perResource: MsiScopeLimits;
      /** Whether a credential write also spends its identity's per-resource write tokens. */
      countCredentialWritesAgainstIdentity: boolean;
    };
    /** `Retry-After` in seconds (ARM's form) or `retry-after-ms` (fast tests). */
    retryAfterStyle: "seconds" | "ms";
  };
  faults: {
    /** Share of ARM requests (0..1) answered with an injected fault. */
    rate: number;
    kinds: FaultKind[];
    /** Extra latency of a "slow" fault, in emulator ms. */
    slowMs: number;
    /** Seed of the fault PRNG: the same seed and request order give the same faults. */
    seed: number;
  };
  /** Two overlapping credential writes on one identity: the second gets 409. */
  ficConcurrencyConflict: boolean;
  ficLimitPerIdentity: number;
  /** Normalised location names (lower case, no spaces) whose identities cannot hold credentials. */
  ficUnsupportedRegions: string[];
  /** How the discovery document's `issuer` relates to ARM's `issuerUrl`. */
  issuerForm: "same" | "noTrailingSlash" | "different";
  /** Items per page of every list. */
  pageSize: number;
  lro: {
    /** PATCH of a connectedCluster: 202 on 2026-05-01 only ("byApiVersion"), always, or never. */
    patch: "byApiVersion" | "async" | "sync";
    /** DELETE of an existing connectedCluster: 202 + Location, or 200 at once. */
    delete: "async" | "sync";
    /** How connectedClusters operations end. */
    outcome: "Succeeded" | "Failed";
  };
  /** The state the agents reach once they converge. */
  agentOutcome: "Succeeded" | "Failed";
  /** Microsoft.Authorization/roleAssignments (roleAssignments.ts). */
  authorization: {
    /** After an identity is created, assigning a role to its principal is PrincipalNotFound this long. */
    principalNotFoundMs: number;
    /** Role assignments one subscription may hold (ROLE-ASSIGNMENTS.md §4). */
    limitPerSubscription: number;
  };
}

export type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends (infer U)[] ? U[] : T[K] extends object ? DeepPartial<T[K]> : T[K];
};

export type ProfileName = "realistic" | "demo" | "test";

const armBuckets = {
  reads: { burst: 250, refillPerSec: 25 },
  writes: { burst: 200, refillPerSec: 10 },
  deletes: { burst: 200, refillPerSec: 10 },
};

/** FACTS §4.2: create/update 10/2/0.25 rps, get 30/10/0.5, list 15/5/0.25, delete 10/2/0.25. */
function msiLimits(): EmulatorConfig["throttling"]["msi"] {
  return {
    tenant: {
      writes: { burst: 10, refillPerSec: 10 },
      reads: { burst: 30, refillPerSec: 30 },
      lists: { burst: 15, refillPerSec: 15 },
      deletes: { burst: 10, refillPerSec: 10 },
    },
    subscription: {
      writes: { burst: 2, refillPerSec: 2 },
      reads: { burst: 10, refillPerSec: 10 },
      lists: { burst: 5, refillPerSec: 5 },
      deletes: { burst: 2, refillPerSec: 2 },
    },
    perResource: {
      writes: { burst: 1, refillPerSec: 0.25 },
      reads: { burst: 1, refillPerSec: 0.5 },
      lists: { burst: 1, refillPerSec: 0.25 },
      deletes: { burst: 1, refillPerSec: 0.25 },
    },
    countCredentialWritesAgainstIdentity: true,
  };
}

function realisticProfile(): EmulatorConfig {
  return {
    timeScale: 1,
    delays: {
      connectMs: 60_000,
      agentMs: 180_000,
      issuerMs: 120_000,
      consistencyMs: 10_000,
      ficWriteLatencyMs: 1_500,
      identityWriteLatencyMs: 500,
      operationMs: 15_000,
    },
    throttling: {
      enabled: true,
      ...structuredClone(armBuckets),
      msi: msiLimits(),
      retryAfterStyle: "seconds",
    },
    faults: { rate: 0, kinds: ["500", "503", "429", "reset", "slow"], slowMs: 5_000, seed: 1 },
    ficConcurrencyConflict: true,
    ficLimitPerIdentity: 20,
    ficUnsupportedRegions: ["malaysiasouth", "newzealandnorth"],
    issuerForm: "same",
    pageSize: 100,
    lro: { patch: "byApiVersion", delete: "async", outcome: "Succeeded" },
    agentOutcome: "Succeeded",
    authorization: { principalNotFoundMs: 30_000, limitPerSubscription: 4_000 },
  };
}

const profileOverrides: Record<ProfileName, DeepPartial<EmulatorConfig>> = {
  realistic: {},
  demo: {
    delays: {
      connectMs: 3_000,
      agentMs: 6_000,
      issuerMs: 4_000,
      consistencyMs: 2_000,
      ficWriteLatencyMs: 300,
      identityWriteLatencyMs: 200,
      operationMs: 2_000,
    },
    authorization: { principalNotFoundMs: 3_000 },
  },
  test: {
    delays: {
      connectMs: 0,
      agentMs: 0,
      issuerMs: 0,
      consistencyMs: 0,
      ficWriteLatencyMs: 0,
      identityWriteLatencyMs: 0,
      operationMs: 0,
    },
    throttling: { enabled: false, retryAfterStyle: "ms" },
    faults: { rate: 0 },
    authorization: { principalNotFoundMs: 0 },
  },
};

/** True when `name` is one of the three profiles. */
export function isProfileName(name: unknown): name is ProfileName {
  return name === "realistic" || name === "demo" || name === "test";
}

/** The full configuration of a profile with `patch` applied over it. */
export function resolveConfig(
  profile: ProfileName = "realistic",
  patch?: DeepPartial<EmulatorConfig>,
): EmulatorConfig {
  const base = applyPatch(realisticProfile(), profileOverrides[profile]);
  return patch === undefined ? base : applyPatch(base, patch);
}

/** A copy of `target` with every key of `patch` laid over it; arrays are replaced whole. */
export function applyPatch<T>(target: T, patch: DeepPartial<T> | undefined): T {
  if (patch === undefined) return structuredClone(target);
  const out = structuredClone(target) as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] =
      isPlainObject(value) && isPlainObject(current)
        ? applyPatch(current, value)
        : structuredClone(value);
  }
  return out as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
