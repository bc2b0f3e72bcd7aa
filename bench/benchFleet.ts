/**
 * The fleet the bench and the chaos run reconcile: N connected clusters (OIDC off, as they are
 * right after `az connectedk8s connect`), each getting 2 identities × 3 service accounts, and an
 * engine whose client-side timings are the product's defaults divided by the time scale.
 */
import { createEmulatorCredential } from "../src/lib/arm/emulatorCredential.js";
import {
  AZURE_PACING,
  type PaceBucket,
  type RequestPacerOptions,
} from "../src/lib/arm/requestPacer.js";
import type { EmulatorSeed } from "../src/emulator/index.js";
import { parsePolicy } from "../src/lib/policy/index.js";
import type { Reconciler, ReportStore } from "../src/lib/reconcile/contract.js";
import { createReconciler } from "../src/lib/reconcile/createReconciler.js";
import { DEFAULT_REQUEUE_DELAYS, type RequeueDelays } from "../src/lib/reconcile/engineDeps.js";

export const BENCH_SUBSCRIPTION = "5e1ec7ed-0000-4000-8000-00000000be0c";
export const BENCH_RESOURCE_GROUP = "rg-fleet";
export const IDENTITIES_PER_CLUSTER = 2;
export const SERVICE_ACCOUNTS_PER_IDENTITY = 3;

export const BENCH_POLICY_TEXT = `
profiles:
  edge:
    identities:
      - id: app
        scope: cluster
        name: id-{cluster}-app
        resourceGroup: rg-fleet-identities
        serviceAccounts: [apps/web, apps/worker, apps/jobs]
        onRemove: delete
      - id: ops
        scope: cluster
        name: id-{cluster}-ops
        resourceGroup: rg-fleet-identities
        serviceAccounts: [ops/agent, ops/backup, ops/metrics]
        onRemove: delete
rules:
  - match: { tags: { onboard: "true" } }
    profiles: [edge]
`;

/** Name of the i-th cluster of the fleet. */
export function fleetClusterName(i: number): string {
  return `edge-${String(i).padStart(5, "0")}`;
}

/** Resource id of the i-th cluster. */
export function fleetClusterId(i: number): string {
  return `/subscriptions/${BENCH_SUBSCRIPTION}/resourceGroups/${BENCH_RESOURCE_GROUP}/providers/Microsoft.Kubernetes/connectedClusters/${fleetClusterName(i)}`;
}

/** A seed of `count` connected clusters with OIDC and workload identity off. */
export function fleetSeed(count: number, offset = 0): EmulatorSeed {
  const clusters = Array.from({ length: count }, (_, i) => ({
    subscriptionId: BENCH_SUBSCRIPTION,
    resourceGroup: BENCH_RESOURCE_GROUP,
    name: fleetClusterName(offset + i),
    location: "eastus",
    distribution: "k3s",
    tags: { onboard: "true" },
  }));
  return { clusters };
}

/** Writes a cluster of the fleet needs from nothing: its PUT, its identities, their credentials. */
export function minimalWritesPerCluster(): number {
  return 1 + IDENTITIES_PER_CLUSTER * (1 + SERVICE_ACCOUNTS_PER_IDENTITY);
}

/** Options of {@link createBenchReconciler}. */
export interface BenchReconcilerOptions {
  url: string;
  caPem: string;
  timeScale: number;
  reports?: ReportStore;
  /** The pacer's ARM write bucket in Azure's time. @default the product's: 200 burst, 10/s */
  writeLimit?: WriteLimit;
}

/** The engine's write pacing, per subscription, in emulator (Azure) time. */
export interface WriteLimit {
  burst: number;
  perSecond: number;
}

/** The product's default pacing (ARM's write bucket, FACTS.md §5). */
export const DEFAULT_WRITE_LIMIT: WriteLimit = { burst: 200, perSecond: 10 };

/**
 * The product's pacing (Azure's published limits) in the emulator's scaled time: every refill
 * times the time scale, the longest wait divided by it.
 */
export function scaledPacing(
  timeScale: number,
  writeLimit = DEFAULT_WRITE_LIMIT,
): RequestPacerOptions {
  const scaleScope = <K extends string>(scope: Record<K, PaceBucket>) =>
    Object.fromEntries(
      Object.entries<PaceBucket>(scope).map(([k, b]) => [
        k,
        { ...b, perSecond: b.perSecond * timeScale },
      ]),
    ) as Record<K, PaceBucket>;
  const msi = AZURE_PACING.identityService;
  return {
    limits: {
      arm: scaleScope({ ...AZURE_PACING.arm, writes: writeLimit }),
      identityService: {
        tenant: scaleScope(msi.tenant),
        subscription: scaleScope(msi.subscription),
        perResource: scaleScope(msi.perResource),
        chargeCredentialWritesToIdentity: msi.chargeCredentialWritesToIdentity,
      },
    },
    maxWaitMs: Math.max(1, Math.round(60_000 / timeScale)),
  };
}

/** The engine with the product's default timings divided by the time scale. */
export function createBenchReconciler(options: BenchReconcilerOptions): Reconciler {
  const scale = (ms: number) => Math.max(1, Math.round(ms / options.timeScale));
  const d = DEFAULT_REQUEUE_DELAYS;
  const delays: RequeueDelays = {
    waitForClusterMs: scale(d.waitForClusterMs),
    waitForIssuerMs: scale(d.waitForIssuerMs),
    confirmGoneMs: scale(d.confirmGoneMs),
    retryFailedMs: scale(d.retryFailedMs),
    throttledMs: scale(d.throttledMs),
  };
  return createReconciler({
    policy: parsePolicy(BENCH_POLICY_TEXT, "bench"),
    arm: {
      endpoint: options.url,
      caPem: options.caPem,
      credential: createEmulatorCredential(),
      pollIntervalMs: scale(5000),
      maxPollIntervalMs: scale(30_000),
      retryDelayMs: scale(800),
      maxRetryDelayMs: scale(60_000),
      maxFollowMs: scale(10_000),
    },
    reports: options.reports,
    pacing: scaledPacing(options.timeScale, options.writeLimit),
    delays,
    writeRetry: { attempts: 6, delayMs: scale(5000) },
  });
}
