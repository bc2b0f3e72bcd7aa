import {
  startEmulator,
  type RequestLogEntry,
  type RunningEmulator,
} from "../../src/emulator/index.js";
import type { DeepPartial, EmulatorConfig, SeedCluster } from "../../src/emulator/index.js";
import { createEmulatorCredential } from "../../src/lib/arm/emulatorCredential.js";
import { parsePolicy } from "../../src/lib/policy/index.js";
import type { Reconciler, ReportStore, ShardStore } from "../../src/lib/reconcile/contract.js";
import { createReconciler } from "../../src/lib/reconcile/createReconciler.js";
import { FAST_ARM, FAST_ENGINE, plantAndStorePolicy } from "../support/emulatorFleet.js";

export const SUB = "00000000-0000-0000-0000-000000000001";

/** The engine tests' policy: plants with three service accounts, stores sharing one identity. */
export const TEST_POLICY = plantAndStorePolicy(["mes/collector", "mes/uploader", "mes/exporter"]);

/** A running emulator and an engine pointed at it, fast enough for tests. */
export interface EngineHarness {
  emulator: RunningEmulator;
  reconciler: Reconciler;
  /** Builds another engine on the same emulator (another policy, a status store, ...). */
  engine(options?: {
    policy?: string;
    shards?: ShardStore;
    reports?: ReportStore;
    apiVersion?: string;
  }): Reconciler;
  stop(): Promise<void>;
}

/** Starts the emulator with the `test` profile (laid over with `config`). */
export async function startEngineHarness(
  config?: DeepPartial<EmulatorConfig>,
): Promise<EngineHarness> {
  const emulator = await startEmulator({ profile: "test", config, log: () => undefined });
  const engine: EngineHarness["engine"] = (options = {}) =>
    createReconciler({
      policy: parsePolicy(options.policy ?? TEST_POLICY, "inline"),
      arm: {
        endpoint: emulator.url,
        caPem: emulator.caPem,
        credential: createEmulatorCredential(),
        clusterApiVersion: options.apiVersion,
        ...FAST_ARM,
      },
      shards: options.shards,
      reports: options.reports,
      ...FAST_ENGINE,
      delays: { ...FAST_ENGINE.delays, waitForIssuerMs: 2000, confirmGoneMs: 3000 },
    });
  return { emulator, reconciler: engine(), engine, stop: () => emulator.stop() };
}

/** The id of a test cluster. */
export function clusterId(resourceGroup: string, name: string): string {
  return `/subscriptions/${SUB}/resourceGroups/${resourceGroup}/providers/Microsoft.Kubernetes/connectedClusters/${name}`;
}

/** Seeds one connected cluster (OIDC off unless `extra` says otherwise) and returns its id. */
export function seedCluster(
  emulator: RunningEmulator,
  extra: Partial<SeedCluster> & { name: string; resourceGroup?: string },
): string {
  const resourceGroup = extra.resourceGroup ?? "rg-edge";
  emulator.seed({
    clusters: [
      { subscriptionId: SUB, location: "eastus", distribution: "k3s", ...extra, resourceGroup },
    ],
  });
  return clusterId(resourceGroup, extra.name);
}

/** Writes and deletes (not reads) in the request log. */
export function writesIn(log: readonly RequestLogEntry[]): RequestLogEntry[] {
  return log.filter((e) => e.kind !== "read");
}

/** Pairs of overlapping writes on the same identity's credentials. */
export function overlappingCredentialWrites(
  log: readonly RequestLogEntry[],
): [RequestLogEntry, RequestLogEntry][] {
  const writes = writesIn(log).filter((e) =>
    e.path.toLowerCase().includes("/federatedidentitycredentials/"),
  );
  const identityOf = (e: RequestLogEntry) =>
    e.path.toLowerCase().split("/federatedidentitycredentials/")[0];
  const pairs: [RequestLogEntry, RequestLogEntry][] = [];
  for (const [i, a] of writes.entries()) {
    for (const b of writes.slice(i + 1)) {
      if (identityOf(a) === identityOf(b) && a.start < b.end && b.start < a.end) pairs.push([a, b]);
    }
  }
  return pairs;
}
