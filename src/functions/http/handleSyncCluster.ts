import { randomUUID } from "node:crypto";

import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";

import { clusterIdKey } from "../../lib/arm/clusterResourceId.js";
import type { Logger } from "../../lib/log/logger.js";
import type { SyncMessage } from "../../lib/queue/syncMessage.js";
import { recordOutcome } from "../handlers/recordOutcome.js";
import { isClusterNotFound, runReconcile } from "../handlers/runReconcile.js";
import type { AppRuntime } from "../runtime/appRuntime.js";
import { createContextLogger } from "../runtime/contextLogger.js";
import { acceptedResponse } from "./accepted.js";
import { readClusterRoute } from "./clusterRoute.js";
import { badRequest, methodNotAllowed, notFound } from "./problem.js";

/**
 * `POST /api/clusters/{subscriptionId}/{resourceGroup}/{clusterName}/sync[?dryRun=true]`:
 * reconciles one cluster inline and answers with its report; a dry run plans and writes
 * nothing. When the cluster must wait, is busy in a worker, or the reconcile passes the inline
 * budget (HTTP triggers are cut at 230 s), it answers 202 with the operation's status URL.
 */
export async function handleSyncCluster(
  request: HttpRequest,
  context: InvocationContext,
  runtime: AppRuntime,
): Promise<HttpResponseInit> {
  if (request.method !== "POST") return methodNotAllowed(request.method, "POST");
  const route = readClusterRoute(request, runtime.allowedScopes);
  if ("response" in route) return route.response;
  const dryRun = (request.query.get("dryRun") ?? "false").toLowerCase();
  if (dryRun !== "true" && dryRun !== "false") {
    return badRequest("dryRun", "dryRun must be true or false.");
  }

  const logger = createContextLogger(context, { cluster: route.clusterId });
  if (dryRun === "true") return planOnly(route.clusterId, runtime);
  return syncInline(request, route.clusterId, runtime, logger);
}

async function planOnly(clusterId: string, runtime: AppRuntime): Promise<HttpResponseInit> {
  const message: SyncMessage = { clusterId, reason: "http", eventId: randomUUID() };
  const result = await runReconcile(message, runtime, true);
  if (isClusterNotFound(result)) return notFound(`No connectedCluster ${clusterId}.`);
  return { status: 200, jsonBody: result.report };
}

async function syncInline(
  request: HttpRequest,
  clusterId: string,
  runtime: AppRuntime,
  logger: Logger,
): Promise<HttpResponseInit> {
  const operationId = randomUUID();
  await runtime.operations.create(operationId, "cluster");
  await runtime.operations.finishEnumeration(operationId, 1);
  const message: SyncMessage = { clusterId, reason: "http", eventId: operationId, operationId };

  const work = runtime.locks.tryWithLock(`cluster/${clusterIdKey(clusterId)}`, async () => {
    const result = await runReconcile(message, runtime);
    if (isClusterNotFound(result)) return undefined;
    return recordOutcome(message, result, runtime, logger);
  });
  const outcome = await raceBudget(work, runtime.inlineBudgetMs, logger);

  if (outcome === "budget") return acceptedResponse(request, operationId);
  if (!outcome.acquired) {
    await runtime.queue.enqueue(message);
    return acceptedResponse(request, operationId, {
      detail: "The cluster is being reconciled by a worker.",
    });
  }
  if (!outcome.value) return notFound(`No connectedCluster ${clusterId}.`);

  const { report, decision } = outcome.value;
  if (decision.kind === "requeue")
    return acceptedResponse(request, operationId, { status: report.status, report });
  return { status: 200, jsonBody: report };
}

/** The work's result, or "budget" when it has not ended in time (it then runs on). */
async function raceBudget<T>(
  work: Promise<T>,
  budgetMs: number,
  logger: Logger,
): Promise<T | "budget"> {
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<"budget">((resolve) => {
    timer = setTimeout(() => resolve("budget"), budgetMs);
  });
  try {
    const first = await Promise.race([work, budget]);
    if (first === "budget") work.catch(() => logger.error("inline sync failed after its 202"));
    return first;
  } finally {
    clearTimeout(timer);
  }
}
