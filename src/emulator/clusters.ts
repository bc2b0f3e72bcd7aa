/**
 * Microsoft.Kubernetes/connectedClusters: GET, list (resource group, subscription), PUT
 * (create-or-replace, long-running), PATCH (tags and patchable properties) and DELETE.
 */
import { randomUUID } from "node:crypto";
import {
  CLUSTER_TYPE,
  clusterId,
  isObject,
  isOidcOn,
  isWorkloadIdentityOn,
  normalizeLocation,
  readClusterPut,
  readTags,
  type ClusterWrite,
} from "./clusterModel.js";
import { renderCluster, timedValue } from "./clusterView.js";
import type { EmulatorContext, EmulatorReply, EmulatorRequest, Handler } from "./context.js";
import { ArmError, armErrors } from "./errors.js";
import { operationHeaders, startOperation } from "./operations.js";
import { byId, paginate } from "./paging.js";
import { resourceKey, type ClusterRecord } from "./state.js";

function keyOf(req: EmulatorRequest): string {
  const { subscriptionId, resourceGroupName, clusterName } = req.params;
  return resourceKey(subscriptionId!, resourceGroupName!, clusterName!);
}

function findCluster(req: EmulatorRequest, ctx: EmulatorContext): ClusterRecord {
  const cluster = ctx.store.clusters.get(keyOf(req));
  if (cluster === undefined) {
    throw armErrors.resourceNotFound(
      CLUSTER_TYPE,
      req.params.clusterName!,
      req.params.resourceGroupName!,
    );
  }
  return cluster;
}

export const getCluster: Handler = (req, ctx) => ({
  status: 200,
  body: renderCluster(findCluster(req, ctx), ctx),
});

export const listClusters: Handler = (req, ctx) => {
  const sub = req.params.subscriptionId!.toLowerCase();
  const rg = req.params.resourceGroupName?.toLowerCase();
  const matches = [...ctx.store.clusters.values()].filter(
    (c) =>
      c.subscriptionId.toLowerCase() === sub &&
      (rg === undefined || c.resourceGroup.toLowerCase() === rg),
  );
  const page = paginate(byId(matches), req, ctx);
  return { status: 200, body: { ...page, value: page.value.map((c) => renderCluster(c, ctx)) } };
};

export const putCluster: Handler = (req, ctx): EmulatorReply => {
  const write = readClusterPut(req.body, req.apiVersion);
  const key = keyOf(req);
  const now = ctx.clock.now();
  const existing = ctx.store.clusters.get(key);
  if (existing !== undefined) checkReplaceAllowed(existing, write, now);

  const cluster =
    existing === undefined ? newCluster(req, write, ctx, now) : replaced(existing, write, ctx, now);
  ctx.store.clusters.set(key, cluster);
  const op = startOperation(ctx, cluster, "put");
  cluster.provisioning = {
    pending: existing === undefined ? "Accepted" : "Updating",
    final: op.outcome,
    until: op.endsAt,
  };
  ctx.markDirty();
  return {
    status: existing === undefined ? 201 : 200,
    body: renderCluster(cluster, ctx),
    headers: operationHeaders(ctx, op, req.apiVersion, false),
  };
};

function checkReplaceAllowed(existing: ClusterRecord, write: ClusterWrite, now: number): void {
  if (timedValue(existing.provisioning, now) === "Deleting") {
    throw new ArmError(
      409,
      "AnotherOperationInProgress",
      `The connected cluster '${existing.name}' is being deleted.`,
    );
  }
  if (normalizeLocation(existing.location) !== normalizeLocation(write.location)) {
    throw armErrors.locationChanged(
      existing.id,
      existing.location,
      write.location,
      existing.resourceGroup,
    );
  }
}

function newCluster(
  req: EmulatorRequest,
  write: ClusterWrite,
  ctx: EmulatorContext,
  now: number,
): ClusterRecord {
  const { delays } = ctx.config;
  const names = {
    subscriptionId: req.params.subscriptionId!,
    resourceGroup: req.params.resourceGroupName!,
    name: req.params.clusterName!,
  };
  const agentDelay =
    delays.connectMs + (isWorkloadIdentityOn(write.properties) ? delays.agentMs : 0);
  return {
    id: clusterId(names),
    ...names,
    location: write.location,
    tags: write.tags,
    ...(write.kind === undefined ? {} : { kind: write.kind }),
    identity: identityFor(write.identityType, undefined, ctx),
    properties: write.properties,
    reported: defaultReported(now),
    connectivity: { pending: "Connecting", final: "Connected", until: now + delays.connectMs },
    provisioning: { pending: "Accepted", final: "Succeeded", until: now },
    agentConvergeAt: now + agentDelay,
    issuerId: randomUUID(),
    ...(isOidcOn(write.properties) ? { issuerReadyAt: now + delays.issuerMs } : {}),
    createdAt: now,
    lastModifiedAt: now,
  };
}

/** A replace keeps what belongs to the cluster (ids, issuer, connectivity) and resets the rest. */
function replaced(
  old: ClusterRecord,
  write: ClusterWrite,
  ctx: EmulatorContext,
  now: number,
): ClusterRecord {
  const { delays } = ctx.config;
  const next: ClusterRecord = {
    ...old,
    location: old.location,
    tags: write.tags,
    identity: identityFor(write.identityType, old.identity, ctx),
    properties: write.properties,
    lastModifiedAt: now,
  };
  delete next.kind;
  if (write.kind !== undefined) next.kind = write.kind;

  if (isWorkloadIdentityOn(old.properties) !== isWorkloadIdentityOn(write.properties)) {
    next.agentConvergeAt = Math.max(now + delays.agentMs, old.agentConvergeAt);
    delete next.agentState;
  }
  const wasOn = isOidcOn(old.properties);
  const isOn = isOidcOn(write.properties);
  if (!isOn) delete next.issuerReadyAt;
  if (isOn && !wasOn) next.issuerReadyAt = now + delays.issuerMs;
  return next;
}

function identityFor(
  type: string,
  old: ClusterRecord["identity"] | undefined,
  ctx: EmulatorContext,
): ClusterRecord["identity"] {
  if (type !== "SystemAssigned") return { type };
  if (old?.type === "SystemAssigned" && old.principalId !== undefined) return { ...old };
  return { type, principalId: randomUUID(), tenantId: ctx.tenantId };
}

/** What the agents report once connected (read-only properties). */
export function defaultReported(now: number): Record<string, unknown> {
  return {
    kubernetesVersion: "1.30.4",
    totalNodeCount: 3,
    totalCoreCount: 12,
    agentVersion: "1.21.10",
    managedIdentityCertificateExpirationTime: new Date(now + 90 * 24 * 3600 * 1000).toISOString(),
  };
}

export const patchCluster: Handler = (req, ctx): EmulatorReply => {
  const cluster = findCluster(req, ctx);
  applyPatch(cluster, req.body, req.apiVersion);
  cluster.lastModifiedAt = ctx.clock.now();
  ctx.markDirty();

  const mode = ctx.config.lro.patch;
  const async = mode === "async" || (mode === "byApiVersion" && req.apiVersion === "2026-05-01");
  if (!async) return { status: 200, body: renderCluster(cluster, ctx) };
  const op = startOperation(ctx, cluster, "patch");
  cluster.provisioning = { pending: "Updating", final: op.outcome, until: op.endsAt };
  return { status: 202, headers: operationHeaders(ctx, op, req.apiVersion, true) };
};

/** PATCH changes tags and the patchable properties only; anything else in the body is ignored. */
function applyPatch(cluster: ClusterRecord, body: unknown, apiVersion: string): void {
  if (!isObject(body)) throw armErrors.invalidRequestContent("the body must be a JSON object.");
  if (body.tags !== undefined) cluster.tags = readTags(body.tags);
  const props = body.properties;
  if (props === undefined || props === null) return;
  if (!isObject(props)) throw armErrors.invalidRequestContent("'properties' must be an object.");

  const patchable = ["distribution", "distributionVersion", "azureHybridBenefit"];
  if (apiVersion === "2026-05-01") patchable.push("gateway");
  for (const key of patchable) {
    if (props[key] === undefined) continue;
    if (
      key === "azureHybridBenefit" &&
      !["True", "False", "NotApplicable"].includes(props[key] as string)
    ) {
      throw armErrors.invalidRequestContent(
        `'properties.azureHybridBenefit' has the value ${JSON.stringify(props[key])}.`,
      );
    }
    cluster.properties[key] = structuredClone(props[key]);
  }
}

export const deleteCluster: Handler = (req, ctx): EmulatorReply => {
  const key = keyOf(req);
  const cluster = ctx.store.clusters.get(key);
  if (cluster === undefined) return { status: 204 };
  ctx.markDirty();
  if (ctx.config.lro.delete === "sync") {
    ctx.store.clusters.delete(key);
    return { status: 200 };
  }
  const op = startOperation(ctx, cluster, "delete");
  cluster.provisioning = { pending: "Deleting", final: "Deleting", until: op.endsAt };
  return { status: 202, headers: operationHeaders(ctx, op, req.apiVersion, true) };
};
