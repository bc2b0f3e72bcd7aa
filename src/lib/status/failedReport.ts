import type { ClusterReport } from "../reconcile/contract.js";

/** Options of {@link toFailedReport}. */
export interface FailedReportOptions {
  clusterId: string;
  code: string;
  message: string;
  policyVersion: string;
  reconcileId: string;
  /** What was known before (identities, next steps), kept so the report stays useful. */
  previous?: ClusterReport;
  at?: Date;
}

/**
 * A `Failed` report for a cluster whose reconcile could not end by itself: a wait that passed
 * its deadline, or a message that ended in the poison queue.
 */
export function toFailedReport(options: FailedReportOptions): ClusterReport {
  const previous = options.previous;
  return {
    clusterId: options.clusterId,
    clusterName: previous?.clusterName ?? options.clusterId.split("/").pop() ?? "",
    ...(previous?.distribution ? { distribution: previous.distribution } : {}),
    ...(previous?.kind ? { kind: previous.kind } : {}),
    status: "Failed",
    ...(previous?.issuer ? { issuer: previous.issuer } : {}),
    identities: previous?.identities ?? [],
    actions: [],
    nextSteps: previous?.nextSteps ?? [],
    manifests: previous?.manifests ?? "",
    policyVersion: options.policyVersion,
    reconcileId: options.reconcileId,
    dryRun: false,
    at: (options.at ?? new Date()).toISOString(),
    error: { code: options.code, message: options.message },
  };
}
