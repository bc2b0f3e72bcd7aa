import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createEmulatorCredential } from "../../src/lib/arm/emulatorCredential.js";
import { offboard } from "../../src/lib/reconcile/offboard.js";
import {
  seedCluster,
  startEngineHarness,
  SUB,
  writesIn,
  type EngineHarness,
} from "./engineHarness.js";
import { assignmentsOf, rolesPolicy } from "./roleAssignmentsHarness.js";

let h: EngineHarness;

beforeAll(async () => {
  h = await startEngineHarness();
});
afterAll(async () => h.stop());

describe("role assignments at the edges", () => {
  it("asks a human when the subscription holds the most role assignments", async () => {
    h.emulator.configure({ authorization: { limitPerSubscription: 1 } });
    try {
      const id = seedCluster(h.emulator, { name: "plant-full", tags: { role: "plant" } });
      const result = await h
        .engine({ policy: rolesPolicy() })
        .reconcile({ clusterId: id, reason: "event" });

      expect(result.report.status).toBe("ActionRequired");
      expect(result.report.error?.code).toBe("RoleAssignmentLimitExceeded");
      expect(result.requeueAfterMs).toBeUndefined();
      expect(result.report.nextSteps[0]).toContain("4000");
      expect(result.report.identities[0]!.roleAssignments?.map((r) => r.state)).toEqual([
        "assigned",
        "missing",
      ]);
    } finally {
      h.emulator.configure({ authorization: { limitPerSubscription: 4000 } });
    }
  });

  it("offboarding removes our role assignments, each before its identity; a dry run writes nothing", async () => {
    const id = seedCluster(h.emulator, { name: "plant-offboard", tags: { role: "plant" } });
    const first = await h
      .engine({ policy: rolesPolicy() })
      .reconcile({ clusterId: id, reason: "event" });
    const principalId = first.report.identities[0]!.principalId!;
    const arm = {
      endpoint: h.emulator.url,
      caPem: h.emulator.caPem,
      credential: createEmulatorCredential(),
    };

    h.emulator.clearRequestLog();
    const planned = await offboard({ arm, subscriptionId: SUB, dryRun: true });
    expect(writesIn(h.emulator.requestLog)).toEqual([]);
    expect(planned.filter((a) => a.kind === "deleteRoleAssignment").length).toBeGreaterThanOrEqual(
      2,
    );

    const done = await offboard({ arm, subscriptionId: SUB, dryRun: false });
    const target = first.report.identities[0]!.resourceId.toLowerCase();
    const identityAt = done.findIndex(
      (a) => a.kind === "deleteIdentity" && a.target.toLowerCase() === target,
    );
    const rolesAt = done
      .map((a, i) => (a.kind === "deleteRoleAssignment" ? i : -1))
      .filter((i) => i >= 0);
    expect(identityAt).toBeGreaterThan(-1);
    expect(rolesAt.some((i) => i < identityAt)).toBe(true);
    expect(await assignmentsOf(h.emulator, principalId)).toEqual([]);
  });
});
