import { asArray, asRecord, asString, type RawProblem } from "./rawDocument.js";
import { explainRoleScope, isWithinScope, resolveRole } from "./roleDefinitions.js";

/** The policy's allow-list, resolved: role GUIDs and scopes that passed their own checks. */
interface AllowList {
  roles: Set<string>;
  scopes: string[];
}

const ALLOW_PATH = ["defaults", "roleAssignments"];

/**
 * Checks role assignments against the rules of issue 8: every allowed role resolves and is not
 * privileged, every allowed scope is a written-out resource id, and each identity's
 * `roleAssignments` entry names an allowed role at an allowed scope (or beneath it), once. Only
 * identities arc-wi creates (scopes `cluster` and `shared`) may carry role assignments.
 *
 * @param raw - the parsed YAML/JSON (tolerant of bad shapes).
 * @returns every problem found, each with its path; empty when none.
 */
export function checkRoleAssignments(raw: unknown): RawProblem[] {
  const doc = asRecord(raw) ?? {};
  const settings = asRecord(asRecord(doc.defaults)?.roleAssignments) ?? {};
  const problems: RawProblem[] = [];
  const allow = readAllowList(settings, problems);

  for (const [profileName, profile] of Object.entries(asRecord(doc.profiles) ?? {})) {
    asArray(asRecord(profile)?.identities).forEach((value, index) => {
      const identity = asRecord(value) ?? {};
      const path = ["profiles", profileName, "identities", index, "roleAssignments"];
      problems.push(...checkIdentity(identity, path, allow));
    });
  }
  return problems;
}

function readAllowList(settings: Record<string, unknown>, problems: RawProblem[]): AllowList {
  const roles = new Set<string>();
  asArray(settings.allowedRoles).forEach((value, index) => {
    const resolved = typeof value === "string" ? resolveRole(value) : undefined;
    if (resolved?.ok === true) roles.add(resolved.guid);
    else if (resolved?.ok === false)
      problems.push({ path: [...ALLOW_PATH, "allowedRoles", index], message: resolved.message });
  });

  const scopes: string[] = [];
  asArray(settings.allowedScopes).forEach((value, index) => {
    const scope = asString(value);
    const problem = scope === undefined ? undefined : explainRoleScope(scope);
    if (scope !== undefined && problem === undefined) scopes.push(scope);
    else if (problem !== undefined)
      problems.push({ path: [...ALLOW_PATH, "allowedScopes", index], message: problem });
  });
  return { roles, scopes };
}

function checkIdentity(
  identity: Record<string, unknown>,
  path: PropertyKey[],
  allow: AllowList,
): RawProblem[] {
  const entries = asArray(identity.roleAssignments);
  if (entries.length > 0 && identity.scope === "existing") {
    const message =
      "arc-wi assigns roles only to identities it creates; assign roles to an existing identity yourself, or remove roleAssignments";
    return [{ path, message }];
  }

  const problems: RawProblem[] = [];
  const seen = new Set<string>();
  entries.forEach((value, index) => {
    const entry = asRecord(value) ?? {};
    const at = [...path, index];
    const guid = checkRole(asString(entry.role), [...at, "role"], allow, problems);
    const scope = checkScope(asString(entry.scope), [...at, "scope"], allow, problems);
    const key = `${guid ?? ""}|${scope?.toLowerCase() ?? ""}`;
    if (guid !== undefined && scope !== undefined && seen.has(key)) {
      problems.push({ path: at, message: "this role at this scope is listed twice; remove one" });
    }
    seen.add(key);
  });
  return problems;
}

function checkRole(
  role: string | undefined,
  path: PropertyKey[],
  allow: AllowList,
  problems: RawProblem[],
): string | undefined {
  if (role === undefined) return undefined;
  const resolved = resolveRole(role);
  if (!resolved.ok) {
    problems.push({ path, message: resolved.message });
    return undefined;
  }
  if (!allow.roles.has(resolved.guid)) {
    const message = `role "${role}" (${resolved.guid}) is not in defaults.roleAssignments.allowedRoles; add it there first (the platform team's allow-list)`;
    problems.push({ path, message });
    return undefined;
  }
  return resolved.guid;
}

function checkScope(
  scope: string | undefined,
  path: PropertyKey[],
  allow: AllowList,
  problems: RawProblem[],
): string | undefined {
  if (scope === undefined) return undefined;
  const problem = explainRoleScope(scope);
  if (problem !== undefined) {
    problems.push({ path, message: problem });
    return undefined;
  }
  if (!allow.scopes.some((allowed) => isWithinScope(scope, allowed))) {
    const message = `scope "${scope}" is not in or beneath defaults.roleAssignments.allowedScopes; add it there first (the platform team's allow-list)`;
    problems.push({ path, message });
    return undefined;
  }
  return scope;
}
