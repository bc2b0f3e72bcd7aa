import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { createEmulatorCredential } from "../../src/lib/arm/emulatorCredential.js";
import { parseClusterResourceId } from "../../src/lib/arm/clusterResourceId.js";
import { evaluatePolicy, parsePolicy, type ClusterFacts } from "../../src/lib/policy/index.js";
import type { Reconciler } from "../../src/lib/reconcile/contract.js";
import { createReconciler } from "../../src/lib/reconcile/createReconciler.js";
import { credentialName } from "../../src/lib/reconcile/naming.js";
import { clusterNameArb, hostileClusterIdArb } from "./idArbitraries.js";
import { ENGINE_RUNS, runsOf } from "./propertyRuns.js";
import { plainValueArb, serviceAccountListArb, tagValueArb } from "./tagArbitraries.js";
import { collectUnhandledRejections } from "./unhandledRejections.js";

const unhandled = collectUnhandledRejections();
const SUB = "0b1f6471-1bf0-4dda-aec3-111122223333";
const RG = "rg-edge";

/** Tags feed an identity name and, through a tag, extra service accounts. */
const POLICY = parsePolicy(
  `
profiles:
  team:
    identities:
      - id: app
        scope: cluster
        name: id-{cluster}-{tag:team}
        resourceGroup: rg-ids
        serviceAccounts: [apps/web]
    serviceAccountsFromTag: { tag: extra-sa, identity: app, allowedNamespaces: ["site-*"], max: 5 }
rules:
  - match: { tags: { team: "?*" } }
    profiles: [team]
`,
  "inline",
);

let emulator: RunningEmulator;
let engine: Reconciler;

beforeAll(async () => {
  emulator = await startEmulator({ profile: "test", log: () => undefined });
  engine = createReconciler({
    policy: POLICY,
    arm: {
      endpoint: emulator.url,
      caPem: emulator.caPem,
      credential: createEmulatorCredential(),
      pollIntervalMs: 5,
      retryDelayMs: 5,
      maxRetryDelayMs: 50,
    },
    writeRetry: { attempts: 3, delayMs: 5 },
    pacing: { limits: { identityService: false } },
  });
});
afterAll(async () => emulator?.stop());

function writes(): string[] {
  return emulator.requestLog.filter((e) => e.kind !== "read").map((e) => e.path.toLowerCase());
}

describe("no ARM write from an invalid input (property, against the emulator)", () => {
  it("reads and writes nothing for a cluster id it refuses", async () => {
    const refused = hostileClusterIdArb.filter((id) => "refused" in parseClusterResourceId(id));
    await fc.assert(
      fc.asyncProperty(refused, async (clusterId) => {
        emulator.clearRequestLog();
        const { report } = await engine.reconcile({ clusterId, reason: "event" });

        expect(report.status).toBe("Failed");
        expect(report.error?.code).toBe("InvalidClusterId");
        expect(emulator.requestLog).toEqual([]);
      }),
      runsOf(ENGINE_RUNS),
    );
  });

  it("writes no identity or credential the tags do not validly ask for", async () => {
    const input = fc.record({
      name: clusterNameArb,
      team: fc.oneof(plainValueArb, tagValueArb),
      extra: fc.oneof(serviceAccountListArb, tagValueArb),
      oidc: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(input, async ({ name, team, extra, oidc }) => {
        const tags = { team, "extra-sa": extra };
        const facts: ClusterFacts = {
          id: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Kubernetes/connectedClusters/${name}`,
          ...{ subscriptionId: SUB, resourceGroup: RG, name, location: "eastus", tags },
        };
        const evaluation = evaluatePolicy(POLICY, facts);
        emulator.seed({
          clusters: [{ subscriptionId: SUB, resourceGroup: RG, name, tags, ...oidcOf(oidc) }],
        });
        emulator.clearRequestLog();

        await engine.reconcile({ clusterId: facts.id, reason: "event" });

        const wanted = evaluation.kind === "selected" ? evaluation.identities : [];
        const allowed = wanted.map((i) => `/userassignedidentities/${i.name}`.toLowerCase());
        const identityWrites = writes().filter((p) => p.includes("/microsoft.managedidentity/"));
        for (const path of identityWrites) expect(allowed.some((a) => path.includes(a))).toBe(true);
        if (wanted.length === 0) expect(identityWrites).toEqual([]);
        const names = wanted.flatMap((i) =>
          i.serviceAccounts.map((sa) =>
            credentialName(facts.id, sa.namespace, sa.name).toLowerCase(),
          ),
        );
        for (const path of identityWrites.filter((p) =>
          p.includes("/federatedidentitycredentials/"),
        ))
          expect(names).toContain(path.split("/").pop());
        // Tags that break every identity get no write at all, not even the cluster's OIDC PUT.
        if (evaluation.kind === "skipped" || oidc || wanted.length === 0)
          expect(writes()).toEqual(identityWrites);
      }),
      runsOf(ENGINE_RUNS),
    );
    expect(unhandled).toEqual([]);
  });
});

function oidcOf(enabled: boolean) {
  return enabled
    ? {
        oidcIssuerProfile: { enabled: true },
        securityProfile: { workloadIdentity: { enabled: true } },
        agentState: "Succeeded",
      }
    : {};
}
