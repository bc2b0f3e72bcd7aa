/**
 * Microsoft.ManagedIdentity/userAssignedIdentities (2024-11-30): PUT (201 create, 200 update),
 * GET, PATCH, DELETE (which takes the identity's credentials with it) and lists. Right after a
 * create the identity is not visible everywhere yet: for `delays.consistencyMs` a GET of it 404s,
 * lists leave it out and its credentials cannot be written.
 */
import { randomUUID } from "node:crypto";
import { isObject, normalizeLocation, readTags } from "./clusterModel.js";
import type { EmulatorContext, EmulatorReply, EmulatorRequest, Handler } from "./context.js";
import { ArmError, armErrors } from "./errors.js";
import { byId, paginate } from "./paging.js";
import { resourceKey, type IdentityRecord } from "./state.js";

export const IDENTITY_TYPE = "Microsoft.ManagedIdentity/userAssignedIdentities";
const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9-_]{2,127}$/;
const ISOLATION_SCOPES = ["None", "Regional"];

export function identityKeyOf(req: EmulatorRequest): string {
  const { subscriptionId, resourceGroupName, resourceName } = req.params;
  return resourceKey(subscriptionId!, resourceGroupName!, resourceName!);
}

/** The identity's resource id, in the lower-case `resourcegroups` form the identity service returns. */
export function identityId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourcegroups/${resourceGroup}/providers/${IDENTITY_TYPE}/${name}`;
}

/** Whether the identity is visible yet (the eventual-consistency window has passed). */
export function isVisible(identity: IdentityRecord, now: number): boolean {
  return now >= identity.visibleAt;
}

export function renderIdentity(identity: IdentityRecord): Record<string, unknown> {
  return {
    id: identity.id,
    name: identity.name,
    type: IDENTITY_TYPE,
    location: identity.location,
    tags: { ...identity.tags },
    properties: {
      tenantId: identity.tenantId,
      principalId: identity.principalId,
      clientId: identity.clientId,
      isolationScope: identity.isolationScope ?? "None",
    },
  };
}

function findVisible(req: EmulatorRequest, ctx: EmulatorContext): IdentityRecord {
  const identity = ctx.store.identities.get(identityKeyOf(req));
  if (identity === undefined || !isVisible(identity, ctx.clock.now())) {
    throw armErrors.resourceNotFound(
      IDENTITY_TYPE,
      req.params.resourceName!,
      req.params.resourceGroupName!,
    );
  }
  return identity;
}

export const getIdentity: Handler = (req, ctx) => ({
  status: 200,
  body: renderIdentity(findVisible(req, ctx)),
});

export const listIdentities: Handler = (req, ctx) => {
  const now = ctx.clock.now();
  const sub = req.params.subscriptionId!.toLowerCase();
  const rg = req.params.resourceGroupName?.toLowerCase();
  const matches = [...ctx.store.identities.values()].filter(
    (i) =>
      i.subscriptionId.toLowerCase() === sub &&
      (rg === undefined || i.resourceGroup.toLowerCase() === rg) &&
      isVisible(i, now),
  );
  const page = paginate(byId(matches), req, ctx);
  return { status: 200, body: { ...page, value: page.value.map(renderIdentity) } };
};

function readIsolationScope(body: Record<string, unknown>): string | undefined {
  const props = body.properties;
  if (props === undefined || props === null) return undefined;
  if (!isObject(props)) throw armErrors.invalidRequestContent("'properties' must be an object.");
  const scope = props.isolationScope;
  if (scope !== undefined && !ISOLATION_SCOPES.includes(scope as string)) {
    throw armErrors.invalidRequestContent(
      `'properties.isolationScope' has the value ${JSON.stringify(scope)}; allowed: None, Regional.`,
    );
  }
  return scope as string | undefined;
}

export const putIdentity: Handler = async (req, ctx): Promise<EmulatorReply> => {
  const subscriptionId = req.params.subscriptionId!;
  const resourceGroupName = req.params.resourceGroupName!;
  const resourceName = req.params.resourceName!;
  if (!NAME_PATTERN.test(resourceName)) {
    throw armErrors.invalidResourceName(
      resourceName,
      "The name can contain only letters, digits, '-' and '_', must start with a letter or digit, and be 3 to 128 characters long.",
    );
  }
  const body = req.body;
  if (!isObject(body)) throw armErrors.invalidRequestContent("the body must be a JSON object.");
  if (typeof body.location !== "string" || body.location.trim() === "")
    throw armErrors.locationRequired();
  const tags = readTags(body.tags);
  const isolationScope = readIsolationScope(body);
  const key = identityKeyOf(req);
  const existing = ctx.store.identities.get(key);
  if (
    existing !== undefined &&
    normalizeLocation(existing.location) !== normalizeLocation(body.location)
  ) {
    throw armErrors.locationChanged(
      existing.id,
      existing.location,
      body.location,
      existing.resourceGroup,
    );
  }

  await ctx.clock.sleep(ctx.config.delays.identityWriteLatencyMs);
  const now = ctx.clock.now();
  const current = ctx.store.identities.get(key);
  const identity: IdentityRecord = current ?? {
    id: identityId(subscriptionId, resourceGroupName, resourceName),
    subscriptionId,
    resourceGroup: resourceGroupName,
    name: resourceName,
    location: body.location,
    tags,
    clientId: randomUUID(),
    principalId: randomUUID(),
    tenantId: ctx.tenantId,
    createdAt: now,
    visibleAt: now + ctx.config.delays.consistencyMs,
    credentials: [],
  };
  identity.tags = tags;
  if (isolationScope === undefined) delete identity.isolationScope;
  else identity.isolationScope = isolationScope;
  ctx.store.identities.set(key, identity);
  ctx.markDirty();
  return { status: current === undefined ? 201 : 200, body: renderIdentity(identity) };
};

export const patchIdentity: Handler = (req, ctx): EmulatorReply => {
  const identity = ctx.store.identities.get(identityKeyOf(req));
  if (identity === undefined) {
    throw armErrors.resourceNotFound(
      IDENTITY_TYPE,
      req.params.resourceName!,
      req.params.resourceGroupName!,
    );
  }
  const body = req.body;
  if (!isObject(body)) throw armErrors.invalidRequestContent("the body must be a JSON object.");
  if (
    typeof body.location === "string" &&
    normalizeLocation(body.location) !== normalizeLocation(identity.location)
  ) {
    throw new ArmError(
      400,
      "InvalidResourceLocation",
      `The location of '${identity.id}' cannot be changed from '${identity.location}' to '${body.location}'.`,
    );
  }
  if (body.tags !== undefined) identity.tags = readTags(body.tags);
  const isolationScope = readIsolationScope(body);
  if (isolationScope !== undefined) identity.isolationScope = isolationScope;
  ctx.markDirty();
  return { status: 200, body: renderIdentity(identity) };
};

export const deleteIdentity: Handler = (req, ctx): EmulatorReply => {
  const key = identityKeyOf(req);
  if (!ctx.store.identities.delete(key)) return { status: 204 };
  ctx.store.credentialLocks.delete(key);
  ctx.markDirty();
  return { status: 200 };
};
