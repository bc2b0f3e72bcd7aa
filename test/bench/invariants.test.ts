/**
 * The chaos run's verdict is only as good as its checks: each invariant must fail on the harm
 * it names. GIVEN a fleet the real engine converged on the emulator, WHEN one harm is planted
 * over plain HTTPS, THEN exactly that invariant fails, naming the resource.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { checkInvariants, type InvariantResult } from "../../bench/chaos/invariants.js";
import {
  chaosFacts,
  chaosSeed,
  CHAOS_POLICY_TEXT,
  FOREIGN_IDENTITY_ID,
  IDENTITY_GROUP,
} from "../../bench/chaos/chaosSetup.js";
import { fleetClusterId } from "../../bench/benchFleet.js";
import type { RunningEmulator } from "../../src/emulator/index.js";
import { createEmulatorCredential } from "../../src/lib/arm/emulatorCredential.js";
import { parsePolicy } from "../../src/lib/policy/index.js";
import { createReconciler } from "../../src/lib/reconcile/createReconciler.js";
import { MANAGED_BY, OWNER_TAGS } from "../../src/lib/reconcile/naming.js";
import { startTestEmulator } from "../emulator/support.js";
import { armCall, FAST_ARM, FAST_ENGINE } from "../support/emulatorFleet.js";

const CLUSTERS = [0, 1];
const policy = parsePolicy(CHAOS_POLICY_TEXT, "chaos");
const identities = `/subscriptions/${IDENTITY_GROUP.subscriptionId}/resourceGroups/${IDENTITY_GROUP.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities`;

let emulator: RunningEmulator;

function engine() {
  return createReconciler({
    ...FAST_ENGINE,
    policy,
    arm: {
      endpoint: emulator.url,
      caPem: emulator.caPem,
      credential: createEmulatorCredential(),
      ...FAST_ARM,
    },
  });
}

async function converge(): Promise<void> {
  const reconciler = engine();
  for (const i of CLUSTERS) {
    const result = await reconciler.reconcile({ clusterId: fleetClusterId(i), reason: "event" });
    expect(result.report.status).toBe("Converged");
  }
}

function check(clusters = CLUSTERS, deleted: number[] = []): Promise<InvariantResult[]> {
  return checkInvariants({
    baseUrl: emulator.url,
    caPem: emulator.caPem,
    policy,
    clusters: clusters.map(chaosFacts),
    deleted: deleted.map(chaosFacts),
    subscriptionId: IDENTITY_GROUP.subscriptionId,
    foreign: [FOREIGN_IDENTITY_ID],
    log: emulator.requestLog,
  });
}

/** The names of the invariants that failed, each with its problems. */
function failures(results: InvariantResult[]): Record<string, string[]> {
  return Object.fromEntries(results.filter((r) => !r.ok).map((r) => [r.name, r.problems]));
}

async function call(method: string, path: string, body?: unknown): Promise<void> {
  const reply = await armCall(emulator, method, path, body);
  expect(reply.status, JSON.stringify(reply.body)).toBeLessThan(300);
}

async function credentialOf(identity: string, name: string) {
  const reply = await armCall(
    emulator,
    "GET",
    `${identities}/${identity}/federatedIdentityCredentials`,
  );
  const list = (reply.body as { value: { name: string; properties: Record<string, unknown> }[] })
    .value;
  return list.find((c) => c.name === name) ?? list[0]!;
}

beforeEach(async () => {
  emulator = await startTestEmulator({ seed: chaosSeed(CLUSTERS.length) });
  await converge();
  emulator.clearRequestLog();
});

afterEach(() => emulator.stop());

describe("checkInvariants", () => {
  it("passes every invariant on a fleet the engine converged", async () => {
    const results = await check();

    expect(results.map((r) => r.name)).toEqual([
      "actual state equals desired state",
      "no duplicate identities or credentials",
      "no orphans",
      "nothing written to a resource we do not own",
    ]);
    expect(failures(results)).toEqual({});
  });

  it("fails the desired state when a credential is missing", async () => {
    const { name } = await credentialOf("id-edge-00000-app", "");
    await call("DELETE", `${identities}/id-edge-00000-app/federatedIdentityCredentials/${name}`);

    const failed = failures(await check());

    expect(Object.keys(failed)).toEqual(["actual state equals desired state"]);
    expect(failed["actual state equals desired state"]).toEqual([
      `credential rg-fleet-identities/id-edge-00000-app/${name} was deleted while its cluster remains`,
      expect.stringMatching(
        /^edge-00000: no credential for rg-fleet-identities\/id-edge-00000-app\|/,
      ),
    ]);
  });

  it("fails when an identity a cluster wants was deleted and made again", async () => {
    await call("DELETE", `${identities}/id-edge-00001-ops`);
    await converge();

    expect(failures(await check())).toEqual({
      "actual state equals desired state": [
        "identity rg-fleet-identities/id-edge-00001-ops was deleted while its cluster remains",
      ],
    });
  });

  it("fails when a cluster write dropped its tags", async () => {
    const cluster = await armCall(emulator, "GET", fleetClusterId(0));
    await call("PUT", fleetClusterId(0), { ...(cluster.body as object), tags: {} });

    expect(failures(await check())["actual state equals desired state"]).toEqual([
      'edge-00000: tags are {}, not {"onboard":"true"}',
    ]);
  });

  it.each([
    ["another subscription", identities.replace(/subscriptions\/[^/]+/, "subscriptions/0000")],
    ["a cluster outside the fleet", fleetClusterId(7).replace("edge-00007", "someone-elses")],
    [
      "a role assignment under a fleet cluster",
      `${fleetClusterId(0)}/providers/Microsoft.Authorization/roleAssignments/1d1c2bbb-8f5b-4f8e-9c1a-2b3c4d5e6f70`,
    ],
  ])("fails on a write to %s", async (_, path) => {
    const target = path.endsWith("userAssignedIdentities") ? `${path}/id-edge-00000-app` : path;
    await armCall(emulator, "PUT", target, { location: "eastus", properties: {} });

    expect(Object.keys(failures(await check()))).toContain(
      "nothing written to a resource we do not own",
    );
  });

  it("fails the desired state when a cluster's OIDC issuer is turned off", async () => {
    const cluster = await armCall(emulator, "GET", fleetClusterId(1));
    const body = cluster.body as {
      location: string;
      identity: unknown;
      properties: { agentPublicKeyCertificate: string; distribution: string };
    };
    await call("PUT", fleetClusterId(1), {
      location: body.location,
      identity: body.identity,
      properties: {
        agentPublicKeyCertificate: body.properties.agentPublicKeyCertificate,
        distribution: body.properties.distribution,
        oidcIssuerProfile: { enabled: false },
        securityProfile: { workloadIdentity: { enabled: true } },
      },
    });

    const failed = failures(await check());

    expect(failed["actual state equals desired state"]).toContain(
      "edge-00001: OIDC issuer or workload identity is not enabled",
    );
  });

  it("fails on a second credential for the same subject in another shard", async () => {
    const original = await credentialOf("id-fleet-monitoring", "");
    await call("PUT", `${identities}/id-fleet-monitoring-1`, {
      location: "eastus",
      tags: { [OWNER_TAGS.managedBy]: MANAGED_BY },
    });
    await call(
      "PUT",
      `${identities}/id-fleet-monitoring-1/federatedIdentityCredentials/copy-of-${original.name}`,
      { properties: original.properties },
    );

    const failed = failures(await check());

    expect(failed["no duplicate identities or credentials"]).toEqual([
      expect.stringMatching(
        /^2 credentials for rg-fleet-identities\/id-fleet-monitoring\|.*monitoring:agent$/,
      ),
      "identity rg-fleet-identities/id-fleet-monitoring-1 is a shard beyond the 1 that 2 credentials need",
    ]);
  });

  it("fails on an empty shard the clusters never needed", async () => {
    await call("PUT", `${identities}/id-fleet-monitoring-37`, {
      location: "eastus",
      tags: { [OWNER_TAGS.managedBy]: MANAGED_BY },
    });

    expect(failures(await check())).toEqual({
      "no duplicate identities or credentials": [
        "identity rg-fleet-identities/id-fleet-monitoring-37 is a shard beyond the 1 that 2 credentials need",
      ],
    });
  });

  it("fails on an identity of ours in another resource group", async () => {
    const elsewhere = identities.replace("rg-fleet-identities", "rg-fleet");
    await call("PUT", `${elsewhere}/id-edge-00099-app`, { location: "eastus" });

    const failed = failures(await check());

    expect(failed["no orphans"]).toEqual([
      "identity rg-fleet/id-edge-00099-app is not wanted by any cluster",
    ]);
    expect(failed["nothing written to a resource we do not own"]).toEqual([
      expect.stringMatching(/^1 write\(s\) to .*\/resourcegroups\/rg-fleet\/.*id-edge-00099-app$/),
    ]);
  });

  it("fails on identities and credentials no remaining cluster wants", async () => {
    const failed = failures(await check([0]));

    expect(Object.keys(failed)).toEqual(["no orphans"]);
    expect(failed["no orphans"]).toEqual(
      expect.arrayContaining([
        "identity rg-fleet-identities/id-edge-00001-app is not wanted by any cluster",
        "identity rg-fleet-identities/id-edge-00001-ops is not wanted by any cluster",
        expect.stringMatching(
          /^credential rg-fleet-identities\/id-fleet-monitoring\/.* is not wanted by any cluster$/,
        ),
      ]),
    );
  });

  it("accepts the shared identity that deleted clusters leave empty, once pruned", async () => {
    const reconciler = engine();
    for (const i of CLUSTERS) {
      await call("DELETE", fleetClusterId(i));
      const pruned = await reconciler.reconcile({
        clusterId: fleetClusterId(i),
        reason: "delete-event",
        deleted: true,
      });
      expect(pruned.report.status).toBe("Pruned");
    }

    expect(failures(await check([], CLUSTERS))).toEqual({});
    expect(failures(await check([]))["no orphans"]).toEqual([
      "identity rg-fleet-identities/id-fleet-monitoring is not wanted by any cluster",
    ]);
  });

  it("fails on a write to the foreign identity, and when it is gone", async () => {
    const foreign = `${identities}/id-someone-else`;
    await call("PUT", foreign, { location: "eastus", tags: { owner: "us-now" } });

    expect(failures(await check())).toEqual({
      "nothing written to a resource we do not own": [`1 write(s) to ${FOREIGN_IDENTITY_ID}`],
    });

    // The same identity, its name percent-encoded: ARM (and the emulator) decode it.
    await call("PUT", `${identities}/id%2Dsomeone%2Delse`, { location: "eastus", tags: {} });

    expect(failures(await check())).toEqual({
      "nothing written to a resource we do not own": [`2 write(s) to ${FOREIGN_IDENTITY_ID}`],
    });

    await call("DELETE", foreign);

    expect(failures(await check())["nothing written to a resource we do not own"]).toEqual([
      `3 write(s) to ${FOREIGN_IDENTITY_ID}`,
      `${FOREIGN_IDENTITY_ID} is gone`,
    ]);
  });
});
