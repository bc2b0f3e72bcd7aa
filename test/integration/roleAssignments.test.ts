import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { PolicyValidationError } from "../../src/lib/policy/index.js";
import type { ClusterReport } from "../../src/lib/reconcile/contract.js";
import { SHARD_ROLES_NOTE } from "../../src/lib/reconcile/reconcileRoleAssignments.js";
import { FAST_ENGINE } from "../support/emulatorFleet.js";
import { seedCluster, startEngineHarness, writesIn, type EngineHarness } from "./engineHarness.js";
import {
  assignmentsOf,
  authorizationCall,
  BLOB_CONTRIBUTOR,
  BLOB_READER,
  roleWrites,
  rolesPolicy,
  SECRETS_USER,
  VAULT,
} from "./roleAssignmentsHarness.js";

let h: EngineHarness;

beforeAll(async () => {
  h = await startEngineHarness();
});
afterAll(async () => h.stop());
beforeEach(() => h.emulator.clearRequestLog());

const roleOf = (a: { properties: { roleDefinitionId: string } }) =>
  a.properties.roleDefinitionId.split("/").pop();

describe("role assignments against the emulator", () => {
  it("gives a new per-cluster identity its roles, then writes nothing on a second run", async () => {
    const engine = h.engine({ policy: rolesPolicy() });
    const id = seedCluster(h.emulator, { name: "plant-roles", tags: { role: "plant" } });

    const first = await engine.reconcile({ clusterId: id, reason: "event" });
    expect(first.report.status, JSON.stringify(first.report.error)).toBe("Converged");
    const identity = first.report.identities[0]!;
    expect(identity.roleAssignments?.map((r) => [r.roleDefinitionGuid, r.state])).toEqual([
      [SECRETS_USER, "assigned"],
      [BLOB_READER, "assigned"],
    ]);
    const wire = await assignmentsOf(h.emulator, identity.principalId!);
    expect(wire.map(roleOf).sort()).toEqual([BLOB_READER, SECRETS_USER].sort());
    expect(wire.every((a) => a.properties.principalType === "ServicePrincipal")).toBe(true);
    expect(wire.every((a) => a.properties.scope.toLowerCase() === VAULT.toLowerCase())).toBe(true);

    h.emulator.clearRequestLog();
    const second = await engine.reconcile({ clusterId: id, reason: "event" });
    expect(second.report.status).toBe("Converged");
    expect(second.report.actions.filter((a) => a.outcome !== "unchanged")).toEqual([]);
    expect(writesIn(h.emulator.requestLog)).toEqual([]);
  });

  it("lists no role assignment on the hot path when the last report shows them in place", async () => {
    const reports = new Map<string, ClusterReport>();
    const store = { getLastReport: (id: string) => Promise.resolve(reports.get(id.toLowerCase())) };
    const engine = h.engine({ policy: rolesPolicy(), reports: store });
    const id = seedCluster(h.emulator, { name: "plant-hot", tags: { role: "plant" } });
    const first = await engine.reconcile({ clusterId: id, reason: "event" });
    reports.set(id.toLowerCase(), first.report);

    h.emulator.clearRequestLog();
    const again = await engine.reconcile({ clusterId: id, reason: "event" });
    expect(again.report.status).toBe("Converged");
    expect(again.report.identities[0]!.roleAssignments).toEqual(
      first.report.identities[0]!.roleAssignments,
    );
    expect(h.emulator.requestLog.filter((e) => e.resourceType.includes("Authorization"))).toEqual(
      [],
    );

    const swept = await engine.reconcile({ clusterId: id, reason: "sweep" });
    expect(swept.report.status).toBe("Converged");
    expect(h.emulator.requestLog.some((e) => e.resourceType.includes("Authorization"))).toBe(true);
  });

  it("gives a new shard of a shared identity the same roles as the first shard", async () => {
    const engine = h.engine({ policy: rolesPolicy() });
    const a = seedCluster(h.emulator, { name: "store-a", tags: { role: "store" } });
    const b = seedCluster(h.emulator, { name: "store-b", tags: { role: "store" } });

    const first = (await engine.reconcile({ clusterId: a, reason: "event" })).report;
    const second = (await engine.reconcile({ clusterId: b, reason: "event" })).report;
    expect([first.status, second.status]).toEqual(["Converged", "Converged"]);
    const [one, two] = [first.identities[0]!, second.identities[0]!];
    expect([one.shard, two.shard]).toEqual([0, 1]);
    expect(two.roleAssignmentsNote).toBe(SHARD_ROLES_NOTE);

    const rolesOne = (await assignmentsOf(h.emulator, one.principalId!)).map(roleOf);
    const rolesTwo = (await assignmentsOf(h.emulator, two.principalId!)).map(roleOf);
    expect(rolesOne).toEqual([SECRETS_USER]);
    expect(rolesTwo).toEqual(rolesOne);
  });

  it("rides out the principal-not-found window inside its retries", async () => {
    h.emulator.configure({ authorization: { principalNotFoundMs: 600_000 } });
    try {
      const id = seedCluster(h.emulator, { name: "plant-replica", tags: { role: "plant" } });
      const running = h
        .engine({ policy: rolesPolicy() })
        .reconcile({ clusterId: id, reason: "event" });
      // The directory catches up while the engine waits between two tries.
      let settled = false;
      void running.finally(() => (settled = true));
      while (!settled && !roleWrites(h.emulator).some((e) => e.status === 400)) await sleep(1);
      h.emulator.advanceClock(600_000);
      const result = await running;

      expect(roleWrites(h.emulator).filter((e) => e.status === 400).length).toBeGreaterThan(0);
      expect(result.report.status).toBe("Converged");
      expect(
        result.report.identities[0]!.roleAssignments?.every((r) => r.state === "assigned"),
      ).toBe(true);
    } finally {
      h.emulator.configure({ authorization: { principalNotFoundMs: 0 } });
    }
  });

  it("requeues when the principal is still not found after its retries, then converges", async () => {
    h.emulator.configure({ authorization: { principalNotFoundMs: 600_000 } });
    try {
      const engine = h.engine({ policy: rolesPolicy() });
      const id = seedCluster(h.emulator, { name: "plant-slowdir", tags: { role: "plant" } });
      const waiting = await engine.reconcile({ clusterId: id, reason: "event" });

      expect(waiting.report.error?.code).toBe("PrincipalNotFound");
      expect(waiting.requeueAfterMs).toBe(FAST_ENGINE.delays.retryFailedMs);
      h.emulator.advanceClock(600_000);
      const done = await engine.reconcile({ clusterId: id, reason: "requeue" });
      expect(done.report.status).toBe("Converged");
    } finally {
      h.emulator.configure({ authorization: { principalNotFoundMs: 0 } });
    }
  });

  it("removes only our assignment when the policy drops a role, leaving a hand-made one", async () => {
    const id = seedCluster(h.emulator, { name: "plant-drop", tags: { role: "plant" } });
    const first = await h
      .engine({ policy: rolesPolicy() })
      .reconcile({ clusterId: id, reason: "event" });
    const principalId = first.report.identities[0]!.principalId!;
    const handMade = await authorizationCall(
      h.emulator,
      "PUT",
      `${VAULT}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}`,
      {
        properties: {
          roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${BLOB_CONTRIBUTOR}`,
          principalId,
          principalType: "ServicePrincipal",
        },
      },
    );
    expect(handMade.status).toBe(201);

    h.emulator.clearRequestLog();
    const engine = h.engine({ policy: rolesPolicy(["Key Vault Secrets User"]) });
    const after = await engine.reconcile({ clusterId: id, reason: "event" });
    expect(after.report.status).toBe("Converged");
    expect(after.report.actions.filter((a) => a.outcome === "deleted").map((a) => a.kind)).toEqual([
      "deleteRoleAssignment",
    ]);
    const left = (await assignmentsOf(h.emulator, principalId)).map(roleOf).sort();
    expect(left).toEqual([BLOB_CONTRIBUTOR, SECRETS_USER].sort());
  });

  it("counts an equal assignment someone else made as unchanged and writes nothing", async () => {
    const engine = h.engine({ policy: rolesPolicy(["Key Vault Secrets User"]) });
    const id = seedCluster(h.emulator, { name: "plant-twin", tags: { role: "plant" } });
    const first = await engine.reconcile({ clusterId: id, reason: "event" });
    const identity = first.report.identities[0]!;
    const ours = identity.roleAssignments![0]!.name!;
    const assignments = `${VAULT}/providers/Microsoft.Authorization/roleAssignments`;
    await authorizationCall(h.emulator, "DELETE", `${assignments}/${ours}`);
    await authorizationCall(h.emulator, "PUT", `${assignments}/${randomUUID()}`, {
      properties: {
        roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${SECRETS_USER}`,
        principalId: identity.principalId,
        principalType: "ServicePrincipal",
      },
    });

    h.emulator.clearRequestLog();
    const again = await engine.reconcile({ clusterId: id, reason: "event" });
    expect(again.report.status).toBe("Converged");
    expect(again.report.actions).toEqual([
      expect.objectContaining({ kind: "createRoleAssignment", outcome: "unchanged" }),
    ]);
    expect(again.report.identities[0]!.roleAssignments![0]!.state).toBe("existing");
    expect(writesIn(h.emulator.requestLog)).toEqual([]);
  });

  it("builds no engine, and writes nothing, from a policy granting a privileged role", () => {
    const privileged = rolesPolicy().replace(
      "{ role: Key Vault Secrets User, scope",
      "{ role: Owner, scope",
    );

    expect(() => h.engine({ policy: privileged })).toThrow(PolicyValidationError);
    expect(writesIn(h.emulator.requestLog)).toEqual([]);
  });

  it("plans role assignments in a dry run and writes nothing", async () => {
    const engine = h.engine({ policy: rolesPolicy() });
    const id = seedCluster(h.emulator, {
      name: "plant-dryroles",
      tags: { role: "plant" },
      oidcIssuerProfile: { enabled: true },
      securityProfile: { workloadIdentity: { enabled: true } },
    });
    const plan = await engine.reconcile({ clusterId: id, reason: "cli", dryRun: true });

    const roleActions = plan.report.actions.filter((a) => a.kind === "createRoleAssignment");
    expect(roleActions.map((a) => a.outcome)).toEqual(["planned", "planned"]);
    expect(writesIn(h.emulator.requestLog)).toEqual([]);
  });

  it("removes our role assignments before deleting an identity the policy no longer wants", async () => {
    const engine = h.engine({ policy: rolesPolicy() });
    const id = seedCluster(h.emulator, { name: "plant-leaving", tags: { role: "plant" } });
    const first = await engine.reconcile({ clusterId: id, reason: "event" });
    const principalId = first.report.identities[0]!.principalId!;

    seedCluster(h.emulator, {
      name: "plant-leaving",
      tags: { role: "plant", "arc-wi": "disabled" },
    });
    h.emulator.clearRequestLog();
    const pruned = await engine.reconcile({ clusterId: id, reason: "event" });
    expect(pruned.report.status).toBe("Skipped");
    const kinds = pruned.report.actions.map((a) => a.kind);
    expect(kinds).toEqual([
      "deleteRoleAssignment",
      "deleteRoleAssignment",
      "deleteCredential",
      "deleteIdentity",
    ]);
    expect(await assignmentsOf(h.emulator, principalId)).toEqual([]);
  });
});
