/**
 * Long-running operations of connectedClusters: the `Azure-AsyncOperation` status monitor
 * (`/providers/Microsoft.Kubernetes/locations/<loc>/operationStatuses/<id>`) and the `Location`
 * result URL (`.../operationResults/<id>`), both polled on the emulator clock.
 */
import { randomUUID } from "node:crypto";
import { normalizeLocation } from "./clusterModel.js";
import { renderCluster } from "./clusterView.js";
import { isoTime, type EmulatorContext, type EmulatorReply, type Handler } from "./context.js";
import { ArmError } from "./errors.js";
import type { ClusterRecord, OperationRecord } from "./state.js";
import { resourceKey } from "./state.js";
import { retryAfterHeaders } from "./throttling.js";

/** Starts an operation on `cluster` that ends after `delays.operationMs`. */
export function startOperation(
  ctx: EmulatorContext,
  cluster: ClusterRecord,
  action: OperationRecord["action"],
): OperationRecord {
  const now = ctx.clock.now();
  const op: OperationRecord = {
    id: randomUUID(),
    location: normalizeLocation(cluster.location),
    subscriptionId: cluster.subscriptionId,
    clusterKey: resourceKey(cluster.subscriptionId, cluster.resourceGroup, cluster.name),
    action,
    startedAt: now,
    endsAt: now + ctx.config.delays.operationMs,
    outcome: action === "delete" ? "Succeeded" : ctx.config.lro.outcome,
    settled: false,
  };
  ctx.store.operations.set(op.id, op);
  return op;
}

function operationPath(
  op: OperationRecord,
  kind: "operationStatuses" | "operationResults",
): string {
  return `/providers/Microsoft.Kubernetes/locations/${op.location}/${kind}/${op.id}`;
}

/** The headers that point a client at an operation: status monitor, result URL, Retry-After. */
export function operationHeaders(
  ctx: EmulatorContext,
  op: OperationRecord,
  apiVersion: string,
  withLocation: boolean,
): Record<string, string> {
  const query = `?api-version=${apiVersion}`;
  const headers: Record<string, string> = {
    "azure-asyncoperation": `${ctx.baseUrl}${operationPath(op, "operationStatuses")}${query}`,
    ...operationRetryAfter(ctx, op),
  };
  if (withLocation)
    headers.location = `${ctx.baseUrl}${operationPath(op, "operationResults")}${query}`;
  return headers;
}

/** When to look again: the time left, in the throttling's Retry-After style (ms for fast runs). */
function operationRetryAfter(ctx: EmulatorContext, op: OperationRecord): Record<string, string> {
  const { timeScale } = ctx.clock;
  const left = Math.max(0, op.endsAt - ctx.clock.now());
  return retryAfterHeaders(left, timeScale, ctx.config.throttling.retryAfterStyle);
}

function findOperation(ctx: EmulatorContext, id: string): OperationRecord {
  const op = ctx.store.operations.get(id);
  if (op === undefined) {
    throw new ArmError(404, "OperationNotFound", `The operation '${id}' was not found.`);
  }
  return op;
}

/** The subscription an operation-status URL belongs to (for throttling), if known. */
export function operationSubscription(
  ctx: EmulatorContext,
  id: string | undefined,
): string | undefined {
  return id === undefined ? undefined : ctx.store.operations.get(id)?.subscriptionId;
}

function operationError(op: OperationRecord): { code: string; message: string } {
  return {
    code: "ClusterOperationFailed",
    message: `The ${op.action} operation on the connected cluster failed (configured by lro.outcome).`,
  };
}

export const getOperationStatus: Handler = (req, ctx): EmulatorReply => {
  const op = findOperation(ctx, req.params.operationId!);
  const now = ctx.clock.now();
  const done = now >= op.endsAt;
  const status = done ? op.outcome : "InProgress";
  const span = Math.max(1, op.endsAt - op.startedAt);
  return {
    status: 200,
    headers: done ? {} : operationRetryAfter(ctx, op),
    body: {
      id: operationPath(op, "operationStatuses"),
      name: op.id,
      status,
      startTime: isoTime(op.startedAt),
      ...(done ? { endTime: isoTime(op.endsAt) } : {}),
      percentComplete: done ? 100 : Math.min(99, Math.floor(((now - op.startedAt) / span) * 100)),
      ...(status === "Failed" ? { error: operationError(op) } : {}),
    },
  };
};

export const getOperationResult: Handler = (req, ctx): EmulatorReply => {
  const op = findOperation(ctx, req.params.operationId!);
  if (ctx.clock.now() < op.endsAt) {
    return { status: 202, headers: operationHeaders(ctx, op, req.apiVersion, true) };
  }
  if (op.outcome === "Failed") {
    const { code, message } = operationError(op);
    throw new ArmError(400, code, message);
  }
  const cluster = ctx.store.clusters.get(op.clusterKey);
  if (op.action === "delete" || cluster === undefined) return { status: 204 };
  return { status: 200, body: renderCluster(cluster, ctx) };
};
