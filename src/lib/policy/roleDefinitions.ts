/**
 * Azure built-in roles the policy may name, the privileged ones it never grants, and the rules
 * for role and scope values. Built-in role definition ids are the same GUID in every tenant.
 *
 * @see https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
 */

/**
 * Built-in roles a workload identity typically needs, by name (compared case-insensitively); any
 * other role is named by its role definition GUID or id. GUIDs from ROLE-ASSIGNMENTS.md §8.
 */
export const BUILT_IN_ROLES: Readonly<Record<string, string>> = {
  "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6",
  "Key Vault Crypto User": "12338af0-0e69-4776-bea7-57ae8d297424",
  "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
  "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  "Storage Queue Data Contributor": "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
  "Storage Table Data Contributor": "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
  "Monitoring Metrics Publisher": "3913510d-42f4-4e42-8a64-420c390055eb",
};

/**
 * Roles that let their holder grant access or manage identities: never assigned by this app,
 * whatever the allow-list says (ROLE-ASSIGNMENTS.md §6.3).
 */
export const PRIVILEGED_ROLES: Readonly<Record<string, string>> = {
  Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
  "Role Based Access Control Administrator": "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
  "Managed Identity Contributor": "e40ec5ca-96e0-45a2-b4ff-59039f2c2b59",
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROLE_DEFINITION_ID =
  /^(?:\/subscriptions\/[0-9a-f-]{36})?\/providers\/Microsoft\.Authorization\/roleDefinitions\/([0-9a-f-]{36})$/i;
const SUBSCRIPTION_SCOPE = /^\/subscriptions\/[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
const SEGMENT = /^[-\w.()]+$/u;

/** A role as the policy wrote it, resolved to its role definition GUID (lower case). */
export type ResolvedRole = { ok: true; guid: string } | { ok: false; message: string };

/**
 * Resolves a built-in role name, a role definition GUID or a role definition resource id to the
 * GUID (lower case). Privileged roles are refused whatever form names them.
 */
export function resolveRole(role: string): ResolvedRole {
  const byName = findByName(BUILT_IN_ROLES, role);
  const fromId = ROLE_DEFINITION_ID.exec(role)?.[1];
  const guid = (byName ?? fromId ?? (GUID.test(role) ? role : undefined))?.toLowerCase();

  const privileged = Object.entries(PRIVILEGED_ROLES).find(
    ([name, id]) => id === guid || name.toLowerCase() === role.toLowerCase(),
  );
  if (privileged !== undefined) {
    const message = `"${privileged[0]}" is a privileged role (it grants access or manages identities); arc-wi never assigns it`;
    return { ok: false, message };
  }
  if (guid === undefined || !GUID.test(guid)) {
    const known = Object.keys(BUILT_IN_ROLES).join(", ");
    const message = `must be a built-in role name (${known}), a role definition GUID or a role definition id (/providers/Microsoft.Authorization/roleDefinitions/<guid>)`;
    return { ok: false, message };
  }
  return { ok: true, guid };
}

/**
 * Why `scope` is not a scope a role can be assigned at, or undefined when it is: a subscription,
 * resource group or resource id, written out (no placeholders: tags never name scopes).
 */
export function explainRoleScope(scope: string): string | undefined {
  if (scope.includes("{")) {
    return "must be written out: a scope cannot come from a template or a cluster tag";
  }
  const parts = scope.split("/");
  const [, , subscription = ""] = parts;
  const wellFormed =
    parts[0] === "" &&
    SUBSCRIPTION_SCOPE.test(`/subscriptions/${subscription}`) &&
    parts[1]?.toLowerCase() === "subscriptions" &&
    parts.slice(3).every((p) => SEGMENT.test(p)) &&
    !/\/providers\/Microsoft\.Authorization(\/|$)/i.test(scope);
  if (!wellFormed || scope.endsWith("/")) {
    return "must be a resource id: /subscriptions/<guid>, optionally followed by /resourceGroups/<name> and /providers/<namespace>/<type>/<name>";
  }
  return undefined;
}

/** Whether `scope` equals `allowed` or lies beneath it (segment-wise, case-insensitively). */
export function isWithinScope(scope: string, allowed: string): boolean {
  const a = scope.toLowerCase();
  const b = allowed.toLowerCase().replace(/\/+$/, "");
  return a === b || a.startsWith(`${b}/`);
}

function findByName(table: Readonly<Record<string, string>>, name: string): string | undefined {
  const key = Object.keys(table).find((k) => k.toLowerCase() === name.trim().toLowerCase());
  return key === undefined ? undefined : table[key];
}
