import { describe, expect, it } from "vitest";

import {
  evaluatePolicy,
  parsePolicy,
  PolicyValidationError,
  type PolicyProblem,
} from "../../../src/lib/policy/index.js";
import { makeCluster } from "./policyTestKit.js";

const SUB = "0b1f6471-1bf0-4dda-aec3-111122223333";
const KV = `/subscriptions/${SUB}/resourceGroups/rg-secrets/providers/Microsoft.KeyVault/vaults/kv-stores`;
const SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6";
const BLOB_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";

function policy(roleAssignments: string, defaults = DEFAULTS, scope = "cluster"): string {
  return `
defaults:
${defaults}
profiles:
  app:
    identities:
      - id: main
        scope: ${scope}
        name: ${scope === "cluster" ? "id-{cluster}" : "id-shared"}
        resourceGroup: rg-ids
        serviceAccounts: [app/web]
        roleAssignments:
${roleAssignments}
rules:
  - match: { tags: { onboard: "yes" } }
    profiles: [app]
`;
}

const DEFAULTS = `
  roleAssignments:
    allowedRoles: [Key Vault Secrets User, "/providers/Microsoft.Authorization/roleDefinitions/${BLOB_READER}"]
    allowedScopes: ["/subscriptions/${SUB}/resourceGroups/rg-secrets"]`;

function problemsOf(text: string): PolicyProblem[] {
  try {
    parsePolicy(text, "inline");
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyValidationError);
    return (error as PolicyValidationError).problems;
  }
  throw new Error("expected the policy to be refused");
}

const entry = (role: string, scope: string) =>
  `          - { role: ${JSON.stringify(role)}, scope: ${JSON.stringify(scope)} }`;
const AT = "profiles.app.identities[0].roleAssignments";

describe("policy role assignments", () => {
  it("renders an allowed role at an allowed scope, by name, GUID or id", () => {
    const loaded = parsePolicy(
      policy(
        [
          entry("key vault secrets user", KV),
          entry(BLOB_READER, `/subscriptions/${SUB}/resourceGroups/rg-secrets`),
        ].join("\n"),
      ),
      "inline",
    );
    const result = evaluatePolicy(loaded, makeCluster({ tags: { onboard: "yes" } }));

    expect(result.kind === "selected" && result.identities[0]?.roleAssignments).toEqual([
      { role: "key vault secrets user", roleDefinitionGuid: SECRETS_USER, scope: KV },
      {
        role: BLOB_READER,
        roleDefinitionGuid: BLOB_READER,
        scope: `/subscriptions/${SUB}/resourceGroups/rg-secrets`,
      },
    ]);
  });

  it.each([
    ["Owner", "Owner"],
    ["Contributor", "Contributor"],
    ["User Access Administrator", "User Access Administrator"],
    ["f58310d9-a9f6-439a-9e8d-f62e7b41a168", "Role Based Access Control Administrator"],
    [
      `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/e40ec5ca-96e0-45a2-b4ff-59039f2c2b59`,
      "Managed Identity Contributor",
    ],
  ])("refuses the privileged role %s with its path", (role, name) => {
    const problems = problemsOf(policy(entry(role, KV)));

    expect(problems).toEqual([
      { path: `${AT}[0].role`, message: expect.stringContaining(`"${name}" is a privileged role`) },
    ]);
  });

  it("refuses a privileged role in the allow-list itself", () => {
    const defaults = `
  roleAssignments:
    allowedRoles: [Owner, Key Vault Secrets User]
    allowedScopes: ["/subscriptions/${SUB}"]`;
    const problems = problemsOf(policy(entry("Key Vault Secrets User", KV), defaults));

    expect(problems.map((p) => p.path)).toEqual(["defaults.roleAssignments.allowedRoles[0]"]);
  });

  it("refuses roles and scopes outside the allow-list, listing every one", () => {
    const outside = `/subscriptions/${SUB}/resourceGroups/rg-other`;
    const problems = problemsOf(
      policy(
        [
          entry("Storage Queue Data Contributor", KV),
          entry("Key Vault Secrets User", outside),
          entry("Key Vault Secrets User", `${KV}x`.replace("rg-secrets", "rg-secrets2")),
        ].join("\n"),
      ),
    );

    expect(problems.map((p) => p.path)).toEqual([
      `${AT}[0].role`,
      `${AT}[1].scope`,
      `${AT}[2].scope`,
    ]);
    expect(problems[0]!.message).toContain("not in defaults.roleAssignments.allowedRoles");
    expect(problems[1]!.message).toContain(
      "not in or beneath defaults.roleAssignments.allowedScopes",
    );
  });

  it("refuses any role assignment when the policy has no allow-list", () => {
    const problems = problemsOf(
      policy(entry("Key Vault Secrets User", KV), "  fallbackRegion: westeurope"),
    );

    expect(problems.map((p) => p.path)).toEqual([`${AT}[0].role`, `${AT}[0].scope`]);
  });

  it.each([
    [
      "a tag placeholder",
      `/subscriptions/${SUB}/resourceGroups/{tag:vault-rg}`,
      "cannot come from a template or a cluster tag",
    ],
    ["a cluster placeholder", `${KV}/{cluster}`, "cannot come from a template or a cluster tag"],
    ["a relative id", "resourceGroups/rg-secrets", "must be a resource id"],
    ["a bad subscription", "/subscriptions/not-a-guid/resourceGroups/rg", "must be a resource id"],
    ["a trailing slash", `${KV}/`, "must be a resource id"],
    [
      "an Authorization path",
      `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments/x`,
      "must be a resource id",
    ],
  ])("refuses a scope with %s", (_what, scope, message) => {
    const problems = problemsOf(policy(entry("Key Vault Secrets User", scope)));

    expect(problems[0]).toEqual({
      path: `${AT}[0].scope`,
      message: expect.stringContaining(message),
    });
  });

  it.each([
    ["Key Vault Pirate"],
    ["4633458b-17de-408a-b874"],
    ["/providers/Microsoft.Authorization/roleDefinitions/x"],
  ])("refuses the malformed role %s", (role) => {
    const problems = problemsOf(policy(entry(role, KV)));

    expect(problems).toEqual([
      { path: `${AT}[0].role`, message: expect.stringContaining("must be a built-in role name") },
    ]);
  });

  it("refuses role assignments on an existing identity and the same role listed twice", () => {
    const twice = [
      entry("Key Vault Secrets User", KV),
      entry(SECRETS_USER, KV.toUpperCase().replace("/SUBSCRIPTIONS", "/subscriptions")),
    ];
    expect(problemsOf(policy(twice.join("\n"))).map((p) => p.path)).toEqual([`${AT}[1]`]);

    const existing = `
defaults:
${DEFAULTS}
profiles:
  app:
    identities:
      - id: main
        scope: existing
        resourceId: /subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-x
        location: eastus
        serviceAccounts: [app/web]
        roleAssignments:
${entry("Key Vault Secrets User", KV)}
rules:
  - match: { tags: { onboard: "yes" } }
    profiles: [app]
`;
    expect(problemsOf(existing).map((p) => p.path)).toEqual([AT]);
  });

  it("leaves identities without roleAssignments as they were", () => {
    const loaded = parsePolicy(policy("          []"), "inline");
    const result = evaluatePolicy(loaded, makeCluster({ tags: { onboard: "yes" } }));

    expect(result.kind === "selected" && "roleAssignments" in result.identities[0]!).toBe(false);
  });
});
