import { describe, expect, it } from "vitest";

import { readTemplate } from "./support/loadTemplate.js";
import {
  allResources,
  arraysUnderKey,
  guidLiterals,
  onlyResource,
  resourcesOfType,
} from "./support/templateQueries.js";

const TEMPLATES = ["resources.json", "subscription.json", "eventgrid.json"];

/** Built-in roles that must never appear (../shared/reference/ROLE-ASSIGNMENTS.md §8). */
const FORBIDDEN_ROLES = {
  Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
  "Role Based Access Control Administrator": "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
  "Managed Identity Contributor": "e40ec5ca-96e0-45a2-b4ff-59039f2c2b59",
};

/** The one built-in role above the app may hold, only in subscription.json and with a condition. */
const DELEGATED_ROLE = "Role Based Access Control Administrator";

/** The built-in roles each template may name, and nothing else. */
const ALLOWED_BUILT_IN_ROLES: Record<string, string[]> = {
  "resources.json": [
    "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", // Storage Blob Data Owner: host, leases, package
    "974c5e8b-45b9-4653-ba55-5f855dd0fb88", // Storage Queue Data Contributor
    "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // Storage Table Data Contributor
    "3913510d-42f4-4e42-8a64-420c390055eb", // Monitoring Metrics Publisher
  ],
  // Issue 8: Role Based Access Control Administrator, only with its ABAC condition
  // (roleDelegation.test.ts), and the workload roles that condition allows.
  "subscription.json": [
    "f58310d9-a9f6-439a-9e8d-f62e7b41a168", // Role Based Access Control Administrator
    "4633458b-17de-408a-b874-0445c86b69e6", // Key Vault Secrets User
    "12338af0-0e69-4776-bea7-57ae8d297424", // Key Vault Crypto User
    "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", // Storage Blob Data Reader
    "ba92f5b4-2d11-453d-a403-e96b0029c9fe", // Storage Blob Data Contributor
    "974c5e8b-45b9-4653-ba55-5f855dd0fb88", // Storage Queue Data Contributor
    "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // Storage Table Data Contributor
    "3913510d-42f4-4e42-8a64-420c390055eb", // Monitoring Metrics Publisher
  ],
  "eventgrid.json": [
    "ba92f5b4-2d11-453d-a403-e96b0029c9fe", // Storage Blob Data Contributor: dead letters
  ],
};

/** FACTS.md §8: the least-privilege custom role, derived from the operations the app uses. */
const CUSTOM_ROLE_ACTIONS = [
  "Microsoft.Kubernetes/connectedClusters/read",
  "Microsoft.Kubernetes/connectedClusters/write",
  "Microsoft.Kubernetes/locations/operationstatuses/read",
  "Microsoft.ManagedIdentity/userAssignedIdentities/read",
  "Microsoft.ManagedIdentity/userAssignedIdentities/write",
  "Microsoft.ManagedIdentity/userAssignedIdentities/delete",
  "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/read",
  "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write",
  "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/delete",
  "Microsoft.Resources/subscriptions/resourceGroups/read",
];

describe.each(TEMPLATES)("%s role assignments", (file) => {
  const template = readTemplate(file);
  const assignments = resourcesOfType(template, "Microsoft.Authorization/roleAssignments");

  it("name no broad built-in role", () => {
    const guids = guidLiterals(template);

    for (const [role, id] of Object.entries(FORBIDDEN_ROLES)) {
      // The one exception (issue 8): the delegation in subscription.json, with its condition.
      const delegated = file === "subscription.json" && role === DELEGATED_ROLE;
      expect(guids.has(id), `${file} names ${role}`).toBe(delegated);
    }
  });

  it("name only the built-in roles this template needs", () => {
    expect([...guidLiterals(template)].sort()).toEqual([...ALLOWED_BUILT_IN_ROLES[file]!].sort());
  });

  it("have deterministic guid() names and principalType ServicePrincipal", () => {
    for (const assignment of assignments) {
      expect(assignment.name).toMatch(/^\[guid\(/);
      expect(assignment.properties.principalType).toBe("ServicePrincipal");
    }
  });

  it("carry no wildcard action", () => {
    const actions = [
      ...arraysUnderKey(template, "actions"),
      ...arraysUnderKey(template, "dataActions"),
    ].flat();

    expect(actions.filter((a) => String(a).includes("*"))).toEqual([]);
  });
});

describe("subscription.json custom role", () => {
  const template = readTemplate("subscription.json");
  const role = onlyResource(template, "Microsoft.Authorization/roleDefinitions");
  const permissions = role.properties.permissions as Record<string, unknown>[];

  it("allows exactly the actions the app uses", () => {
    expect(permissions).toHaveLength(1);
    expect(permissions[0]!.actions).toBe("[variables('roleActions')]");
    expect([...template.variables!.roleActions].sort()).toEqual([...CUSTOM_ROLE_ACTIONS].sort());
    expect(permissions[0]!.notActions).toEqual([]);
    expect(permissions[0]!.dataActions).toEqual([]);
  });

  it("is assignable in this subscription only, under a tenant-unique name", () => {
    expect(role.properties.assignableScopes).toEqual(["[subscription().id]"]);
    expect(role.properties.type).toBe("CustomRole");
    expect(role.properties.roleName).toContain("subscription().subscriptionId");
  });

  it("is assigned to the app's identity on the subscription or on each listed resource group", () => {
    const assignments = resourcesOfType(template, "Microsoft.Authorization/roleAssignments");
    const roleIds = assignments.map((a) => String(a.properties.roleDefinitionId));
    const principals = assignments.map((a) => String(a.properties.principalId));

    expect(roleIds).toEqual([
      "[variables('roleDefinitionId')]",
      "[parameters('roleDefinitionId')]",
      "[parameters('roleDefinitionId')]",
    ]);
    expect(principals).toEqual([
      "[parameters('appPrincipalId')]",
      "[parameters('principalId')]",
      "[parameters('principalId')]",
    ]);
    expect(template.resources[1]!.condition).toBe("[variables('assignOnSubscription')]");
    expect(template.resources[2]!.resourceGroup).toBe(
      "[parameters('managedResourceGroups')[copyIndex()]]",
    );
  });
});

describe("resources.json data roles", () => {
  const template = readTemplate("resources.json");

  it("are scoped to the app's own storage account and Application Insights", () => {
    const scopes = allResources(template)
      .filter((r) => r.type === "Microsoft.Authorization/roleAssignments")
      .map((r) => r.scope as string);

    expect(scopes).toEqual([
      "[format('Microsoft.Storage/storageAccounts/{0}', variables('storageAccountName'))]",
      "[format('Microsoft.Insights/components/{0}', variables('appInsightsName'))]",
    ]);
  });
});
