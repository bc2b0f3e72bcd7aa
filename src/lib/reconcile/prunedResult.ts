import type { ClusterRef } from "../arm/resourceId.js";
import type { ReconcileRequest, ReconcileResult } from "./contract.js";
import type { EngineDeps } from "./engineDeps.js";
import { pruneCluster } from "./pruneCluster.js";
import { pruneScopeFor } from "./pruneScope.js";
import type { ReportBuilder } from "./reportBuilder.js";

const SUMMARY = {
  deleted: "The cluster was deleted; what this app created for it was removed.",
  notFound: "The cluster was not found twice; what this app created for it was removed.",
  skipped: "The policy selects nothing for this cluster; what this app created for it was removed.",
};

/**
 * Removes everything this app created for a cluster that is gone, opted out, or selected by no
 * rule, found through our ownership tags and credential names (its issuer cannot be read).
 */
export async function prunedResult(ctx: {
  request: ReconcileRequest;
  ref: ClusterRef;
  deps: EngineDeps;
  builder: ReportBuilder;
  reason: keyof typeof SUMMARY;
  skipReason?: string;
}): Promise<ReconcileResult> {
  const { deps, ref, builder } = ctx;
  const previous = await deps.reports?.getLastReport(ref.id);
  const scan =
    ctx.reason !== "skipped" ||
    !deps.reports ||
    (previous !== undefined && previous.status !== "Skipped");
  const scope = pruneScopeFor({
    deps,
    request: ctx.request,
    clusterId: ref.id,
    keep: new Set(),
    desired: [],
    scan,
    previous,
  });
  const pruned = scope
    ? await pruneCluster({ deps, clusterId: ref.id, scope, dryRun: ctx.request.dryRun === true })
    : { actions: [], errors: [] };
  builder.report.actions.push(...pruned.actions);

  const error = pruned.errors[0];
  if (error) return builder.failFromArm(error, deps.delays);
  builder.report.nextSteps.push(
    ctx.skipReason ? `${ctx.skipReason}. ${SUMMARY.skipped}` : SUMMARY[ctx.reason],
  );
  return builder.finish(ctx.reason === "skipped" ? "Skipped" : "Pruned");
}
