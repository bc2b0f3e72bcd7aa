/**
 * Issue 8: the app's identity holds Role Based Access Control Administrator on the role-target
 * resource groups only with an ABAC condition naming exactly the allowed role ids (write and
 * delete branches) and service principals; the allowed ids agree with the policy validator.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

import { describe, expect, it } from "vitest";

import {
  BUILT_IN_ROLES,
  parsePolicy,
  PRIVILEGED_ROLES,
  resolveRole,
} from "../../src/lib/policy/index.js";
import { nestedTemplateOf, readTemplate } from "./support/loadTemplate.js";
import { REFERENCE_DIR } from "./support/referencePaths.js";

const RBAC_ADMINISTRATOR = "f58310d9-a9f6-439a-9e8d-f62e7b41a168";
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const template = readTemplate("subscription.json");
const allowedIds = template.parameters!.allowedRoleDefinitionIds!;

/** Evaluates the template's `format(..., join(parameters('allowedRoleDefinitionIds'), ', '))`. */
function conditionFor(ids: string[]): string {
  const expression = String(template.variables!.delegationCondition);
  const match =
    /^\[format\('(.*)', join\(parameters\('allowedRoleDefinitionIds'\), ', '\)\)\]$/s.exec(
      expression,
    );
  if (!match) throw new Error(`delegationCondition is not the expected format(): ${expression}`);
  const text = match[1]!.replace(/''/g, "'");
  return text.replace(/\{\{|\}\}|\{0\}/g, (token) =>
    token === "{{" ? "{" : token === "}}" ? "}" : ids.join(", "),
  );
}

/** The GUID sets the condition compares RoleDefinitionId with, one per branch. */
function roleSets(condition: string): string[][] {
  const sets = [
    ...condition.matchAll(/RoleDefinitionId\] ForAnyOfAnyValues:GuidEquals \{([^}]*)\}/g),
  ];
  return sets.map((m) => (m[1]!.match(GUID) ?? []).map((g) => g.toLowerCase()).sort());
}

function delegation() {
  const deployment = template.resources.find((r) =>
    String(r.properties.parameters?.roleDefinitionId?.value).includes("rbacAdministratorRoleId"),
  );
  if (!deployment) throw new Error("no deployment of the RBAC Administrator delegation");
  const assignment = nestedTemplateOf(deployment)!.resources[0]!;
  return { deployment, assignment };
}

describe("subscription.json role delegation", () => {
  it("grants Role Based Access Control Administrator on each role-target resource group", () => {
    const { deployment } = delegation();

    expect(String(template.variables!.rbacAdministratorRoleId)).toContain(RBAC_ADMINISTRATOR);
    expect(deployment.resourceGroup).toBe("[parameters('roleTargetResourceGroups')[copyIndex()]]");
    expect(deployment.properties.parameters.principalId.value).toBe(
      "[parameters('appPrincipalId')]",
    );
  });

  it("only with its condition, version 2.0, to a service principal", () => {
    const { deployment, assignment } = delegation();

    expect(deployment.properties.parameters.condition.value).toBe(
      "[variables('delegationCondition')]",
    );
    expect(assignment.properties).toMatchObject({
      condition: "[parameters('condition')]",
      conditionVersion: "2.0",
      principalType: "ServicePrincipal",
      roleDefinitionId: "[parameters('roleDefinitionId')]",
    });
  });

  it("names exactly the allowed role ids in the write and the delete branch", () => {
    const ids = allowedIds.defaultValue as string[];
    const condition = conditionFor(ids);

    expect(roleSets(condition)).toEqual([[...ids].sort(), [...ids].sort()]);
    expect(roleSets(conditionFor(ids.slice(0, 2)))).toEqual([
      [...ids.slice(0, 2)].sort(),
      [...ids.slice(0, 2)].sort(),
    ]);
    expect(
      condition.match(
        /PrincipalType\] ForAnyOfAnyValues:StringEqualsIgnoreCase \{'ServicePrincipal'\}/g,
      ),
    ).toHaveLength(2);
    expect(condition.length).toBeLessThan(8 * 1024);
  });

  it("is the condition composed in ROLE-ASSIGNMENTS.md §6.3 for the default ids", () => {
    const reference = readFileSync(resolve(REFERENCE_DIR, "ROLE-ASSIGNMENTS.md"), "utf8");
    const section = reference.slice(reference.indexOf("### 6.3"));
    const composed = /```\n(\(\(!\(ActionMatches[^\n]*)\n```/.exec(section)?.[1];

    expect(conditionFor(allowedIds.defaultValue as string[])).toBe(composed);
  });

  it("never assigns Role Based Access Control Administrator without the condition", () => {
    const text = JSON.stringify(template);
    const uses = text.split("variables('rbacAdministratorRoleId')").length - 1;
    const conditioned = nestedTemplateOf(delegation().deployment)!.resources.filter(
      (r) => r.type === "Microsoft.Authorization/roleAssignments",
    );

    expect(uses).toBe(1);
    expect(conditioned.every((r) => r.properties.condition === "[parameters('condition')]")).toBe(
      true,
    );
    expect(text.split(RBAC_ADMINISTRATOR).length - 1).toBe(1);
  });
});

describe("the template and the policy validator agree", () => {
  it("allow exactly the built-in workload roles the policy knows, none privileged", () => {
    const allowed = (allowedIds.allowedValues as string[]).map((id) => id.toLowerCase()).sort();

    expect(allowed).toEqual(Object.values(BUILT_IN_ROLES).sort());
    expect(allowed.filter((id) => Object.values(PRIVILEGED_ROLES).includes(id))).toEqual([]);
    expect([...(allowedIds.defaultValue as string[])].sort()).toEqual(allowed);
  });

  it("a policy allowing the template's ids validates; each privileged id is refused", () => {
    const ids = allowedIds.defaultValue as string[];
    const policy = `
defaults:
  roleAssignments:
    allowedRoles: [${ids.map((id) => `"${id}"`).join(", ")}]
    allowedScopes: ["/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-kv"]
profiles:
  app: { identities: [{ id: main, scope: shared, name: id-app, resourceGroup: rg, serviceAccounts: [a/b] }] }
rules: [{ match: {}, profiles: [app] }]
`;

    expect(() => parsePolicy(policy, "inline")).not.toThrow();
    for (const id of Object.values(PRIVILEGED_ROLES)) expect(resolveRole(id).ok).toBe(false);
  });
});
