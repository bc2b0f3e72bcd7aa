import { describe, expect, it } from "vitest";

import type { RoleAssignmentState } from "../../../src/lib/arm/roleAssignmentGateway.js";
import { planRoleAssignments } from "../../../src/lib/reconcile/planRoleAssignments.js";
import {
  isOwnedRoleAssignment,
  roleAssignmentDescription,
  roleAssignmentName,
} from "../../../src/lib/reconcile/roleAssignmentNaming.js";

const SUB = "00000000-0000-0000-0000-000000000001";
const VAULT = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv`;
const PRINCIPAL = "11111111-2222-3333-4444-555555555555";
const SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6";
const BLOB_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
const desired = (guid: string, scope = VAULT) => ({ role: guid, roleDefinitionGuid: guid, scope });

function assignment(guid: string, options: { ours: boolean; scope?: string }): RoleAssignmentState {
  const scope = options.scope ?? VAULT;
  const name = options.ours
    ? roleAssignmentName(scope, PRINCIPAL, guid)
    : "99999999-9999-4999-8999-999999999999";
  return {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    scope,
    roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid.toUpperCase()}`,
    principalId: PRINCIPAL,
    principalType: "ServicePrincipal",
    description: options.ours ? roleAssignmentDescription("plant/mes") : "made by hand",
  };
}

describe("roleAssignmentName", () => {
  it("is a version 5 UUID that ignores case and a trailing slash", () => {
    const name = roleAssignmentName(VAULT, PRINCIPAL, SECRETS_USER);

    expect(name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(
      roleAssignmentName(`${VAULT.toUpperCase()}/`, PRINCIPAL.toUpperCase(), SECRETS_USER),
    ).toBe(name);
    expect(roleAssignmentName(VAULT, PRINCIPAL, BLOB_READER)).not.toBe(name);
  });

  it("recognises only assignments with our description and our derived name", () => {
    expect(isOwnedRoleAssignment(assignment(SECRETS_USER, { ours: true }))).toBe(true);
    expect(isOwnedRoleAssignment(assignment(SECRETS_USER, { ours: false }))).toBe(false);
    const renamed = {
      ...assignment(SECRETS_USER, { ours: true }),
      name: "99999999-9999-4999-8999-999999999999",
    };
    expect(isOwnedRoleAssignment(renamed)).toBe(false);
  });
});

describe("planRoleAssignments", () => {
  it.each([
    {
      case: "creates every role for an identity not created yet",
      principalId: undefined,
      want: [desired(SECRETS_USER)],
      have: [],
      steps: [
        ["createRoleAssignment", `${VAULT}/providers/Microsoft.Authorization/roleAssignments`],
      ],
      states: ["planned"],
    },
    {
      case: "counts our equal assignment as in place",
      principalId: PRINCIPAL,
      want: [desired(SECRETS_USER)],
      have: [assignment(SECRETS_USER, { ours: true })],
      steps: [],
      states: ["assigned"],
    },
    {
      case: "counts an equal assignment someone else made as existing",
      principalId: PRINCIPAL,
      want: [desired(SECRETS_USER)],
      have: [assignment(SECRETS_USER, { ours: false })],
      steps: [],
      states: ["existing"],
    },
    {
      case: "deletes ours the policy dropped, first, and never one made by hand",
      principalId: PRINCIPAL,
      want: [desired(SECRETS_USER)],
      have: [
        assignment(BLOB_READER, { ours: true }),
        assignment(BLOB_READER, { ours: false, scope: `/subscriptions/${SUB}` }),
      ],
      steps: [
        [
          "deleteRoleAssignment",
          `${VAULT}/providers/Microsoft.Authorization/roleAssignments/${roleAssignmentName(VAULT, PRINCIPAL, BLOB_READER)}`,
        ],
        [
          "createRoleAssignment",
          `${VAULT}/providers/Microsoft.Authorization/roleAssignments/${roleAssignmentName(VAULT, PRINCIPAL, SECRETS_USER)}`,
        ],
      ],
      states: ["planned"],
    },
  ])("$case", ({ principalId, want, have, steps, states }) => {
    const plan = planRoleAssignments({ principalId, desired: want, observed: have });

    expect(plan.steps.map((s) => [s.kind, s.target])).toEqual(steps);
    expect(plan.reported.map((r) => r.state)).toEqual(states);
  });

  it("reports an equal assignment made by hand as an unchanged action", () => {
    const plan = planRoleAssignments({
      principalId: PRINCIPAL,
      desired: [desired(SECRETS_USER)],
      observed: [assignment(SECRETS_USER, { ours: false })],
    });

    expect(plan.unchanged).toEqual([
      expect.objectContaining({ kind: "createRoleAssignment", outcome: "unchanged" }),
    ]);
  });
});
