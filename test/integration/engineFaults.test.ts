import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { armCall } from "../support/emulatorFleet.js";
import { seedCluster, startEngineHarness, writesIn, type EngineHarness } from "./engineHarness.js";

let h: EngineHarness;

beforeEach(async () => {
  h = await startEngineHarness();
});
afterEach(async () => h.stop());

describe("Azure's hard answers", () => {
  it("ends a 429 that outlives the SDK's retries as a requeue after Retry-After, not a failure", async () => {
    const id = seedCluster(h.emulator, { name: "plant-429", tags: { role: "plant" } });
    // One read, then the bucket refills one token every 1,000 s: far past the SDK's retries.
    h.emulator.configure({
      throttling: {
        enabled: true,
        retryAfterStyle: "ms",
        reads: { burst: 1, refillPerSec: 0.001 },
      },
    });
    const result = await h.reconciler.reconcile({ clusterId: id, reason: "event" });
    expect(result.report.status).toBe("Throttled");
    expect(result.requeueAfterMs).toBeGreaterThan(100_000);
    expect(result.report.error?.message).toMatch(/429/);
  });

  it("waits for a new identity to show before writing its credentials, never creating it twice", async () => {
    h.emulator.configure({ delays: { consistencyMs: 30 } });
    const id = seedCluster(h.emulator, { name: "plant-consistency", tags: { role: "plant" } });
    const result = await h.reconciler.reconcile({ clusterId: id, reason: "event" });
    expect(result.report.status).toBe("Converged");
    // The window shows as 404 reads of the identity, not as credential writes spent on 404s.
    const log = h.emulator.requestLog;
    const identityReads404 = log.filter(
      (e) => e.status === 404 && e.method === "GET" && e.path.endsWith("-mes"),
    );
    expect(identityReads404.length).toBeGreaterThan(0);
    expect(log.filter((e) => e.status === 404 && e.kind === "write")).toEqual([]);
    expect(result.report.actions.filter((a) => a.kind === "createIdentity")).toHaveLength(1);
  });

  it("fails the action with the operation's error code when the PUT's operation ends Failed", async () => {
    h.emulator.configure({ lro: { outcome: "Failed" } });
    const id = seedCluster(h.emulator, { name: "plant-lro", tags: { role: "plant" } });
    const result = await h.reconciler.reconcile({ clusterId: id, reason: "event" });
    expect(result.report.status).toBe("Failed");
    expect(result.report.error?.message).toMatch(/ended Failed/);
    expect(
      writesIn(h.emulator.requestLog).filter((e) => e.resourceType.includes("ManagedIdentity")),
    ).toEqual([]);

    // The emulator applied the flags before the operation failed: provisioningState Failed, but
    // the issuer is there, so the next run federates instead of waiting for Succeeded.
    const again = await h.reconciler.reconcile({ clusterId: id, reason: "requeue" });
    expect(again.report.status).toBe("Converged");
  });

  it("hands a cluster whose last operation failed, with OIDC off, to a human without writing", async () => {
    const id = seedCluster(h.emulator, {
      name: "plant-failed",
      tags: { role: "plant" },
      provisioningState: "Failed",
    });
    const result = await h.reconciler.reconcile({ clusterId: id, reason: "event" });
    expect(result.report.status).toBe("ActionRequired");
    expect(result.report.error?.code).toBe("ClusterOperationFailed");
    expect(result.report.nextSteps.join("\n")).toContain(
      "az connectedk8s update --name plant-failed",
    );
    expect(writesIn(h.emulator.requestLog)).toEqual([]);
  });

  it("names the fallback-region setting when a region cannot hold federated credentials", async () => {
    const policy = `
profiles:
  p:
    identities:
      - { id: x, scope: cluster, name: "id-{cluster}", resourceGroup: rg-ids, location: malaysiasouth, serviceAccounts: [a/b] }
defaults: { unsupportedCredentialRegions: [] }
rules:
  - { name: all, match: { tags: { role: "?*" } }, profiles: [p] }
`;
    const id = seedCluster(h.emulator, { name: "plant-my", tags: { role: "x" } });
    const result = await h.engine({ policy }).reconcile({ clusterId: id, reason: "event" });
    expect(result.report.status).toBe("ActionRequired");
    expect(result.report.error).toMatchObject({ code: "FederatedCredentialsUnsupportedInRegion" });
    expect(result.report.error?.message).toContain("defaults.fallbackRegion");
    expect(result.requeueAfterMs).toBeUndefined();
  });

  it.each([
    ["noTrailingSlash", (armIssuer: string) => armIssuer.replace(/\/$/, "")],
    ["different", (armIssuer: string) => armIssuer],
  ] as const)("resolves the issuer from the discovery document (%s)", async (form, expected) => {
    h.emulator.configure({ issuerForm: form });
    const id = seedCluster(h.emulator, {
      name: `plant-${form.toLowerCase()}`,
      tags: { role: "plant" },
    });
    const result = await h.reconciler.reconcile({ clusterId: id, reason: "event" });
    const armIssuer = await clusterIssuer(id);
    expect(result.report.issuer).toBe(expected(armIssuer));
  });
});

async function clusterIssuer(id: string): Promise<string> {
  const { body } = await armCall(h.emulator, "GET", id);
  return (body as { properties: { oidcIssuerProfile: { issuerUrl: string } } }).properties
    .oidcIssuerProfile.issuerUrl;
}

describe("tag problems before the cluster federates", () => {
  const policy = `
profiles:
  p:
    identities:
      - { id: app, scope: cluster, name: "id-{cluster}-app", resourceGroup: rg-ids, serviceAccounts: [apps/web] }
      - { id: team, scope: cluster, name: "id-{cluster}-{tag:team}", resourceGroup: rg-ids, serviceAccounts: [apps/team] }
rules:
  - match: { tags: { onboard: "yes" } }
    profiles: [p]
`;

  it("shows what the tags break in a plan, before OIDC is even on", async () => {
    const id = seedCluster(h.emulator, {
      name: "tagged-badly",
      tags: { onboard: "yes", team: "Data Science!" },
    });
    const plan = await h.engine({ policy }).reconcile({
      clusterId: id,
      reason: "cli",
      dryRun: true,
    });

    expect(plan.report.actions.map((a) => a.kind)).toEqual(["enableClusterFeatures"]);
    expect(plan.report.identities).toMatchObject([
      { key: "p/team", problem: { code: "InvalidTagValue" } },
    ]);
    expect(plan.report.nextSteps.filter((s) => s.startsWith("Fix the policy"))).toHaveLength(1);
    expect(writesIn(h.emulator.requestLog)).toEqual([]);

    // A real run: the good identity is written, and the problem is named once.
    const run = await h.engine({ policy }).reconcile({ clusterId: id, reason: "event" });
    expect(run.report.status).toBe("ActionRequired");
    expect(run.report.nextSteps.filter((s) => s.startsWith("Fix the policy"))).toHaveLength(1);
  });
});
