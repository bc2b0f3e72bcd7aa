/**
 * Microsoft.Authorization/roleAssignments (2022-04-01) at any scope under a subscription: PUT
 * (201 create, 200 identical re-PUT), GET, DELETE (200 with the assignment, 204 when absent) and
 * the list for a scope (no filter: at, above and below it; `atScope()`; `principalId eq <id>`).
 * Modelled rules (ROLE-ASSIGNMENTS.md §3-§5): names are GUIDs, unique across scopes; an equal
 * assignment (scope, principal, role) under another name is `409 RoleAssignmentExists`; a name
 * reused for another principal, role or scope is `400 RoleAssignmentUpdateNotPermitted`; a
 * subscription holds at most `authorization.limitPerSubscription`; and for
 * `authorization.principalNotFoundMs` after an emulator identity is created, assigning a role to
 * its principal is `400 PrincipalNotFound` (replication delay), whatever `principalType` says.
 * Not modelled: role definitions (any GUID is a role), RBAC enforcement, conditions' meaning.
 */
import { isObject } from "./clusterModel.js";
import type { EmulatorContext, EmulatorReply, Handler } from "./context.js";
import { isoTime } from "./context.js";
import { ArmError } from "./errors.js";
import { byId, paginate } from "./paging.js";
import {
  readRoleAssignmentBody,
  type RoleAssignmentWanted as Wanted,
} from "./roleAssignmentBody.js";

export const ROLE_ASSIGNMENT_TYPE = "Microsoft.Authorization/roleAssignments";
export const AUTHORIZATION_API_VERSIONS = ["2022-04-01"] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PROVIDER = ["providers", "microsoft.authorization", "roleassignments"];

/** A role assignment as the emulator keeps it. */
export interface RoleAssignmentRecord {
  id: string;
  name: string;
  /** As sent, with one leading slash. */
  scope: string;
  subscriptionId: string;
  roleDefinitionId: string;
  principalId: string;
  principalType: string;
  description?: string;
  condition?: string;
  conditionVersion?: string;
  createdOn: number;
  updatedOn: number;
}

/**
 * Matches `/{scope}/providers/Microsoft.Authorization/roleAssignments[/{name}]` where the scope
 * starts with `subscriptions/<id>`. @returns the parameters, or undefined for any other path.
 */
export function matchRoleAssignmentPath(
  pathname: string,
): { params: Record<string, string>; item: boolean } | undefined {
  const segments = pathname
    .split("/")
    .filter((s) => s !== "")
    .map((s) => decodeURIComponent(s));
  const lower = segments.map((s) => s.toLowerCase());
  const at = lower.lastIndexOf("roleassignments");
  const item = at === segments.length - 2;
  if (at < 4 || (!item && at !== segments.length - 1)) return undefined;
  if (PROVIDER.some((p, i) => lower[at - 2 + i] !== p) || lower[0] !== "subscriptions")
    return undefined;

  const scope = `/${segments.slice(0, at - 2).join("/")}`;
  const params: Record<string, string> = { scope, subscriptionId: segments[1]! };
  if (item) params.roleAssignmentName = segments[at + 1]!;
  return { params, item };
}

function records(ctx: EmulatorContext): RoleAssignmentRecord[] {
  return ctx.store.roleAssignments.filter(isRecord);
}

function isRecord(value: unknown): value is RoleAssignmentRecord {
  // A seed may carry entries of any shape: only complete records are served.
  const fields = ["id", "name", "scope", "subscriptionId", "roleDefinitionId", "principalId"];
  return isObject(value) && fields.every((f) => typeof value[f] === "string");
}

function render(a: RoleAssignmentRecord): Record<string, unknown> {
  return {
    id: a.id,
    name: a.name,
    type: ROLE_ASSIGNMENT_TYPE,
    properties: {
      scope: a.scope,
      roleDefinitionId: a.roleDefinitionId,
      principalId: a.principalId,
      principalType: a.principalType,
      ...(a.description === undefined ? {} : { description: a.description }),
      ...(a.condition === undefined ? {} : { condition: a.condition }),
      ...(a.conditionVersion === undefined ? {} : { conditionVersion: a.conditionVersion }),
      createdOn: isoTime(a.createdOn),
      updatedOn: isoTime(a.updatedOn),
    },
  };
}

const notFound = (name: string) =>
  new ArmError(404, "RoleAssignmentNotFound", `The role assignment '${name}' is not found.`);

function findByName(ctx: EmulatorContext, name: string): RoleAssignmentRecord | undefined {
  return records(ctx).find((a) => a.name.toLowerCase() === name.toLowerCase());
}

function sameScope(a: string, b: string): boolean {
  return a.toLowerCase().replace(/\/+$/, "") === b.toLowerCase().replace(/\/+$/, "");
}

function roleGuid(roleDefinitionId: string): string {
  return (roleDefinitionId.split("/").pop() ?? "").toLowerCase();
}

export const getRoleAssignment: Handler = (req, ctx) => {
  const name = req.params.roleAssignmentName!;
  const found = findByName(ctx, name);
  if (found === undefined || !sameScope(found.scope, req.params.scope!)) throw notFound(name);
  return { status: 200, body: render(found) };
};

export const deleteRoleAssignment: Handler = (req, ctx): EmulatorReply => {
  const found = findByName(ctx, req.params.roleAssignmentName!);
  if (found === undefined || !sameScope(found.scope, req.params.scope!)) return { status: 204 };
  ctx.store.roleAssignments = ctx.store.roleAssignments.filter((a) => a !== found);
  ctx.markDirty();
  return { status: 200, body: render(found) };
};

export const listRoleAssignments: Handler = (req, ctx) => {
  const scope = req.params.scope!.toLowerCase().replace(/\/+$/, "");
  const filter = readFilter(req.url.searchParams.get("$filter"));
  const related = (a: RoleAssignmentRecord) => {
    const own = a.scope.toLowerCase().replace(/\/+$/, "");
    const above = scope === own || scope.startsWith(`${own}/`);
    const below = own.startsWith(`${scope}/`);
    return filter.kind === "atScope" ? above : above || below;
  };
  const matches = records(ctx).filter(
    (a) =>
      related(a) &&
      (filter.kind !== "principal" || a.principalId.toLowerCase() === filter.principalId),
  );
  const page = paginate(byId(matches), req, ctx);
  return { status: 200, body: { ...page, value: page.value.map(render) } };
};

type Filter = { kind: "none" | "atScope" } | { kind: "principal"; principalId: string };

function readFilter(raw: string | null): Filter {
  if (raw === null || raw.trim() === "") return { kind: "none" };
  if (/^\s*atScope\(\)\s*$/i.test(raw)) return { kind: "atScope" };
  const principal = /^\s*principalId\s+eq\s+'?([0-9a-f-]{36})'?\s*$/i.exec(raw)?.[1];
  if (principal !== undefined) return { kind: "principal", principalId: principal.toLowerCase() };
  throw new ArmError(400, "UnsupportedQuery", `The filter '${raw}' is not supported.`);
}

export const putRoleAssignment: Handler = (req, ctx): EmulatorReply => {
  const name = req.params.roleAssignmentName!;
  const scope = req.params.scope!;
  if (!GUID.test(name)) {
    throw new ArmError(
      400,
      "InvalidRoleAssignmentId",
      `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`,
    );
  }
  const wanted = readRoleAssignmentBody(req.body);
  const existing = findByName(ctx, name);
  if (existing !== undefined) return rePut(ctx, existing, scope, wanted);

  checkPrincipalReplicated(ctx, wanted.principalId);
  checkNoTwin(ctx, scope, wanted);
  checkLimit(ctx, req.params.subscriptionId!);
  const now = ctx.clock.now();
  const record: RoleAssignmentRecord = {
    id: `${scope}/providers/${ROLE_ASSIGNMENT_TYPE}/${name}`,
    name,
    scope,
    subscriptionId: req.params.subscriptionId!,
    ...wanted,
    createdOn: now,
    updatedOn: now,
  };
  ctx.store.roleAssignments.push(record);
  ctx.markDirty();
  return { status: 201, body: render(record) };
};

function rePut(
  ctx: EmulatorContext,
  existing: RoleAssignmentRecord,
  scope: string,
  wanted: Wanted,
): EmulatorReply {
  const same =
    sameScope(existing.scope, scope) &&
    existing.principalId.toLowerCase() === wanted.principalId.toLowerCase() &&
    roleGuid(existing.roleDefinitionId) === roleGuid(wanted.roleDefinitionId);
  if (!same) {
    throw new ArmError(
      400,
      "RoleAssignmentUpdateNotPermitted",
      "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.",
    );
  }
  Object.assign(existing, wanted, { updatedOn: ctx.clock.now() });
  ctx.markDirty();
  return { status: 200, body: render(existing) };
}

function checkPrincipalReplicated(ctx: EmulatorContext, principalId: string): void {
  const window = ctx.config.authorization.principalNotFoundMs;
  const identity = [...ctx.store.identities.values()].find(
    (i) => i.principalId.toLowerCase() === principalId.toLowerCase(),
  );
  if (identity === undefined || ctx.clock.now() >= identity.createdAt + window) return;
  throw new ArmError(
    400,
    "PrincipalNotFound",
    `Principal ${principalId.replace(/-/g, "")} does not exist in the directory ${ctx.tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`,
  );
}

function checkNoTwin(ctx: EmulatorContext, scope: string, wanted: Wanted): void {
  const twin = records(ctx).find(
    (a) =>
      sameScope(a.scope, scope) &&
      a.principalId.toLowerCase() === wanted.principalId.toLowerCase() &&
      roleGuid(a.roleDefinitionId) === roleGuid(wanted.roleDefinitionId),
  );
  if (twin === undefined) return;
  throw new ArmError(
    409,
    "RoleAssignmentExists",
    `The role assignment already exists. The ID of the existing role assignment is ${twin.name.replace(/-/g, "")}.`,
  );
}

function checkLimit(ctx: EmulatorContext, subscriptionId: string): void {
  const limit = ctx.config.authorization.limitPerSubscription;
  const count = records(ctx).filter(
    (a) => a.subscriptionId.toLowerCase() === subscriptionId.toLowerCase(),
  ).length;
  if (count < limit) return;
  throw new ArmError(
    400,
    "RoleAssignmentLimitExceeded",
    `No more role assignments can be created in subscription '${subscriptionId}' (limit ${limit}).`,
  );
}

/** The emulator's handlers for an item path and a list path. */
export const roleAssignmentHandlers = {
  item: { GET: getRoleAssignment, PUT: putRoleAssignment, DELETE: deleteRoleAssignment },
  list: { GET: listRoleAssignments },
} satisfies Record<string, Partial<Record<string, Handler>>>;
