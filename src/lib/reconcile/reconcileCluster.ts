import { ArmRequestError } from "../arm/armRequestError.js";
import { buildEnableFeaturesBody, type ConnectedClusterJson } from "../arm/connectedClusterJson.js";
import { resolveIssuer } from "../arm/resolveIssuer.js";
import { tryParseClusterId, type ClusterRef } from "../arm/resourceId.js";
import { evaluatePolicy, type ClusterFacts } from "../policy/index.js";
import { clusterNextSteps } from "../report/nextSteps.js";
import { assessCluster } from "./assessCluster.js";
import type { ReconcileRequest, ReconcileResult } from "./contract.js";
import type { EngineDeps } from "./engineDeps.js";
import { federateCluster } from "./federateCluster.js";
import { prunedResult } from "./prunedResult.js";
import { reportProblems } from "./reconcileIdentities.js";
import { ReportBuilder } from "./reportBuilder.js";

/**
 * Reconciles one cluster, level-triggered: reads it, decides from what it sees now (never from
 * the event that asked), writes what is missing and returns a report. It never sleeps for
 * Azure: waiting states return `requeueAfterMs`.
 */
export async function reconcileCluster(
  request: ReconcileRequest,
  deps: EngineDeps,
): Promise<ReconcileResult> {
  const ref = tryParseClusterId(request.clusterId);
  const builder = new ReportBuilder(request, ref?.name ?? "", deps.policy.version);
  if (!ref) {
    const message = `"${request.clusterId}" is not a connectedCluster resource id (/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Kubernetes/connectedClusters/<name>)`;
    return builder.fail("Failed", "InvalidClusterId", message);
  }
  builder.report.clusterId = ref.id;
  const logger = deps.logger.child({ cluster: ref.id, reconcileId: builder.report.reconcileId });

  try {
    return await reconcileRef({ request, ref, deps: { ...deps, logger }, builder });
  } catch (e) {
    if (!(e instanceof ArmRequestError)) throw e;
    logger.warn("reconcile stopped on an ARM error", {
      code: e.code,
      status: e.statusCode,
      requestId: e.requestId,
    });
    return builder.failFromArm(e, deps.delays);
  }
}

async function reconcileRef(ctx: {
  request: ReconcileRequest;
  ref: ClusterRef;
  deps: EngineDeps;
  builder: ReportBuilder;
}): Promise<ReconcileResult> {
  const { request, ref, deps, builder } = ctx;
  const cluster = await deps.clusters.get(ref.id);
  // A delete event is proof only while ARM agrees: one replayed late, or overtaken by the
  // cluster's re-creation under the same name, must not remove what a live cluster uses.
  if (request.deleted && !cluster) return prunedResult({ ...ctx, reason: "deleted" });
  if (request.deleted)
    deps.logger.warn("a delete event for a cluster that exists: reconciled as it is");
  if (!cluster) {
    // NOTE: a GET right after a write can 404 for a while; only a second 404 some time later
    // (or a delete event) proves the cluster is gone (DESIGN.md, step 1).
    if ((request.notFoundCount ?? 0) >= 1) return prunedResult({ ...ctx, reason: "notFound" });
    builder.report.nextSteps.push(
      "The cluster was not found; it is read again before anything is removed.",
    );
    return builder.finish("WaitingForCluster", {
      requeueAfterMs: deps.delays.confirmGoneMs,
      notFoundCount: 1,
    });
  }

  const facts = toFacts(cluster, ref);
  builder.report.distribution = facts.distribution;
  builder.report.kind = facts.kind;
  const evaluation = evaluatePolicy(deps.policy, facts);
  if (evaluation.kind === "skipped")
    return prunedResult({ ...ctx, reason: "skipped", skipReason: evaluation.reason });

  return assessAndAct({ ...ctx, cluster, evaluation });
}

async function assessAndAct(ctx: {
  request: ReconcileRequest;
  ref: ClusterRef;
  deps: EngineDeps;
  builder: ReportBuilder;
  cluster: ConnectedClusterJson;
  evaluation: Extract<ReturnType<typeof evaluatePolicy>, { kind: "selected" }>;
}): Promise<ReconcileResult> {
  const { ref, deps, builder, cluster } = ctx;
  const assessment = assessCluster(cluster, ref);
  // Until it federates, the cluster's report still shows what the policy refused in its tags,
  // so a plan or a wait already says what to fix.
  const [problem] = ctx.evaluation.problems;
  if (assessment.kind !== "federate" && problem) {
    const fix = `Fix the policy or the cluster's tags: ${problem.message}`;
    if (!builder.report.nextSteps.includes(fix)) {
      builder.report.identities.push(...reportProblems(ctx.evaluation.problems));
      builder.report.nextSteps.push(fix);
    }
  }
  switch (assessment.kind) {
    case "waitForCluster":
      builder.report.nextSteps.push(`Waiting for the cluster: ${assessment.reason}.`);
      return builder.finish("WaitingForCluster", { requeueAfterMs: deps.delays.waitForClusterMs });
    case "actionRequired":
      builder.report.nextSteps.push(assessment.nextStep);
      return builder.fail("ActionRequired", assessment.code, assessment.reason);
    case "enableFeatures":
      // Every identity the cluster's rules select is broken (a tag value no name can hold):
      // write nothing, not even the cluster, until the policy or the tags are fixed.
      if (problem !== undefined && ctx.evaluation.identities.length === 0)
        return builder.fail("ActionRequired", problem.code, problem.message);
      return enableFeatures(ctx);
    case "waitForIssuer":
      builder.report.nextSteps.push("Waiting for Azure to publish the cluster's OIDC issuer URL.");
      return builder.finish("WaitingForIssuer", { requeueAfterMs: deps.delays.waitForIssuerMs });
    case "federate": {
      const resolved = await resolveIssuer(assessment.armIssuer, { caPem: deps.caPem });
      if (resolved.warning)
        deps.logger.warn("issuer not confirmed by its discovery document", {
          issuer: assessment.armIssuer,
        });
      builder.report.issuer = resolved.issuer;
      const selfHosted = cluster.properties?.oidcIssuerProfile?.selfHostedIssuerUrl !== undefined;
      builder.report.nextSteps.push(
        ...clusterNextSteps({
          distribution: builder.report.distribution,
          kind: cluster.kind,
          issuer: resolved.issuer,
          selfHosted,
        }),
      );
      return federateCluster({ ...ctx, issuer: resolved.issuer, assessment });
    }
  }
}

async function enableFeatures(ctx: Parameters<typeof assessAndAct>[0]): Promise<ReconcileResult> {
  const { ref, deps, builder } = ctx;
  const action = {
    kind: "enableClusterFeatures" as const,
    target: ref.id,
    reason: "the OIDC issuer or workload identity is off",
  };
  if (ctx.request.dryRun) {
    builder.report.actions.push({ ...action, outcome: "planned" });
    return builder.finish("WaitingForIssuer");
  }

  const put = await deps.clusters.put(ref.id, buildEnableFeaturesBody(ctx.cluster));
  builder.report.actions.push({
    ...action,
    outcome: put.done ? "updated" : "planned",
    armRequestId: put.requestId,
  });
  deps.logger.info("enabled OIDC issuer and workload identity", {
    outcome: put.done ? "updated" : "running",
  });
  if (!put.done)
    return builder.finish("WaitingForCluster", { requeueAfterMs: deps.delays.waitForClusterMs });

  // Read back: the flags must show, and the issuer may already be there (then federate now).
  const after = await deps.clusters.get(ref.id);
  const p = after?.properties;
  if (
    !after ||
    p?.oidcIssuerProfile?.enabled !== true ||
    p.securityProfile?.workloadIdentity?.enabled !== true
  ) {
    const message =
      "the PUT succeeded but the cluster does not show the OIDC issuer and workload identity enabled";
    return builder.fail("Failed", "FeaturesNotEnabled", message, deps.delays.retryFailedMs);
  }
  return assessAndAct({ ...ctx, cluster: after });
}

function toFacts(cluster: ConnectedClusterJson, ref: ClusterRef): ClusterFacts {
  return {
    id: ref.id,
    subscriptionId: ref.subscriptionId,
    resourceGroup: ref.resourceGroup,
    name: ref.name,
    location: cluster.location ?? "",
    tags: cluster.tags ?? {},
    distribution: cluster.properties?.distribution,
    kind: cluster.kind,
  };
}
