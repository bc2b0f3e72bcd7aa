import type { ConnectedClusterJson } from "../arm/connectedClusterJson.js";
import type { ClusterRef } from "../arm/resourceId.js";
import type { PolicyEvaluation } from "../policy/index.js";
import type { ClusterAssessment } from "./assessCluster.js";
import type { ReconcileRequest, ReconcileResult } from "./contract.js";
import type { EngineDeps } from "./engineDeps.js";
import { pruneScopeFor } from "./pruneScope.js";
import { pruneCluster } from "./pruneCluster.js";
import { reconcileIdentities } from "./reconcileIdentities.js";
import type { ReportBuilder } from "./reportBuilder.js";

/**
 * Writes the identities and credentials the policy wants for a cluster whose issuer is known,
 * prunes what it no longer wants, and decides the cluster's status.
 */
export async function federateCluster(ctx: {
  request: ReconcileRequest;
  ref: ClusterRef;
  deps: EngineDeps;
  builder: ReportBuilder;
  cluster: ConnectedClusterJson;
  evaluation: Extract<PolicyEvaluation, { kind: "selected" }>;
  issuer: string;
  assessment: Extract<ClusterAssessment, { kind: "federate" }>;
}): Promise<ReconcileResult> {
  const { request, ref, deps, builder, evaluation } = ctx;
  const dryRun = request.dryRun === true;
  // The policy leaves out identities it cannot render; a problem on tag-supplied service
  // accounts still lets the policy's own service accounts through (docs/policy.md).
  const desired = evaluation.identities;
  const previous = await deps.reports?.getLastReport(ref.id);
  const converged =
    previous?.status === "Converged" && request.reason !== "sweep" ? previous : undefined;

  const outcome = await reconcileIdentities({
    deps,
    clusterId: ref.id,
    desired,
    problems: evaluation.problems,
    issuer: ctx.issuer,
    dryRun,
    previous: converged,
  });
  builder.report.identities = outcome.identities;
  builder.report.actions.push(...outcome.actions);

  const scope = pruneScopeFor({
    deps,
    request,
    clusterId: ref.id,
    keep: outcome.usedIdentityIds,
    keepKeys: new Set(evaluation.problems.map((p) => p.identityKey)),
    desired,
    previous,
  });
  const pruned = scope
    ? await pruneCluster({ deps, clusterId: ref.id, scope, dryRun })
    : { actions: [], errors: [] };
  builder.report.actions.push(...pruned.actions);

  const error = outcome.errors[0] ?? pruned.errors[0];
  if (error) return builder.failFromArm(error, deps.delays);
  return settle(ctx);
}

function settle(ctx: Parameters<typeof federateCluster>[0]): ReconcileResult {
  const { builder, evaluation, assessment, deps } = ctx;
  const problem =
    evaluation.problems[0] ?? builder.report.identities.find((i) => i.problem)?.problem;
  if (problem) {
    const message = "message" in problem ? problem.message : "";
    const fix = `Fix the policy or the cluster's tags: ${message}`;
    builder.report.nextSteps = [fix, ...builder.report.nextSteps.filter((step) => step !== fix)];
    return builder.fail("ActionRequired", problem.code, message);
  }
  if (assessment.agentProblem) {
    builder.report.nextSteps.unshift(`The Arc agents report a failure: ${assessment.agentProblem}`);
    return builder.fail("ActionRequired", "AgentsFailed", assessment.agentProblem);
  }
  if (!assessment.agentsConverged) {
    builder.report.nextSteps.unshift(
      "Waiting for the Arc agents to install the workload identity webhook.",
    );
    return builder.finish("WaitingForCluster", { requeueAfterMs: deps.delays.waitForClusterMs });
  }
  return builder.finish("Converged");
}
