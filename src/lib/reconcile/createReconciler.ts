import type { TokenCredential } from "@azure/core-auth";

import type { ArmConnection } from "../arm/armClientOptions.js";
import { ClusterGateway } from "../arm/clusterGateway.js";
import type { LroOptions } from "../arm/followAsyncOperation.js";
import { IdentityGateway } from "../arm/identityGateway.js";
import { RequestPacer, type RequestPacerOptions } from "../arm/requestPacer.js";
import { RoleAssignmentGateway } from "../arm/roleAssignmentGateway.js";
import { silentLogger, type Logger } from "../log/logger.js";
import type { LoadedPolicy } from "../policy/index.js";
import type { WriteRetryOptions } from "./applySteps.js";
import type { LockProvider, Reconciler, ReportStore, ShardStore } from "./contract.js";
import { DEFAULT_REQUEUE_DELAYS, type EngineDeps, type RequeueDelays } from "./engineDeps.js";
import { KeyedMutex } from "./keyedMutex.js";
import { MemoryShardStore } from "./memoryShardStore.js";
import { reconcileCluster } from "./reconcileCluster.js";

/** Options of `createReconciler`. Only `policy` and `arm` are required. */
export interface ReconcilerOptions {
  policy: LoadedPolicy;
  arm: ArmConnection &
    LroOptions & {
      credential: TokenCredential;
      /** connectedClusters api-version. @default "2026-05-01" */
      clusterApiVersion?: string;
    };
  /** Cross-process locks (blob leases in the Function app). @default in-process locks */
  locks?: LockProvider;
  /** Where shard choices are remembered. @default in memory */
  shards?: ShardStore;
  /** Last reports; without it every run scans for leftovers to prune. */
  reports?: ReportStore;
  logger?: Logger;
  /** How every ARM request is paced under Azure's budgets. @default Azure's published limits */
  pacing?: RequestPacerOptions;
  delays?: Partial<RequeueDelays>;
  writeRetry?: WriteRetryOptions;
}

/**
 * Builds the reconcile engine over the real SDK clients: `@azure/arm-hybridkubernetes`'s
 * pipeline for connectedClusters, `@azure/arm-msi` for identities and credentials and
 * `@azure/arm-authorization` for their role assignments.
 */
export function createReconciler(options: ReconcilerOptions): Reconciler {
  const arm = { ...options.arm, pacer: options.arm.pacer ?? new RequestPacer(options.pacing) };
  const deps: EngineDeps = {
    clusters: new ClusterGateway({ ...arm, apiVersion: arm.clusterApiVersion }),
    identities: new IdentityGateway(arm),
    roles: new RoleAssignmentGateway(arm),
    policy: options.policy,
    locks: options.locks ?? new KeyedMutex(),
    shards: options.shards ?? new MemoryShardStore(),
    reports: options.reports,
    logger: options.logger ?? silentLogger,
    caPem: options.arm.caPem,
    delays: { ...DEFAULT_REQUEUE_DELAYS, ...options.delays },
    writeRetry: options.writeRetry ?? {},
  };
  return {
    reconcile: (request) => reconcileCluster(request, deps),
    listClusterIds: (scope) => deps.clusters.listIds(scope),
    policyVersion: options.policy.version,
  };
}
