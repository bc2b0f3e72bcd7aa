import { describe, expect, it } from "vitest";

import type { CredentialState } from "../../../src/lib/arm/identityGateway.js";
import type { DesiredIdentity } from "../../../src/lib/policy/index.js";
import {
  AUDIENCE,
  credentialName,
  MANAGED_BY,
  subjectOf,
} from "../../../src/lib/reconcile/naming.js";
import { planIdentity, type ObservedIdentity } from "../../../src/lib/reconcile/planIdentity.js";

const SUB = "00000000-0000-0000-0000-000000000001";
const CLUSTER = `/subscriptions/${SUB}/resourceGroups/rg-plants/providers/Microsoft.Kubernetes/connectedClusters/plant-p01`;
const OTHER = CLUSTER.replace("plant-p01", "plant-p02");
const ISSUER = "https://issuer.example/tenant/abc/";
const REF = { subscriptionId: SUB, resourceGroup: "rg-plant-identities", name: "id-plant-p01-mes" };

function desired(over: Partial<DesiredIdentity> = {}): DesiredIdentity {
  return {
    key: "plant/mes",
    scope: "cluster",
    subscriptionId: SUB,
    resourceGroup: REF.resourceGroup,
    name: REF.name,
    location: "westeurope",
    serviceAccounts: [
      { namespace: "mes", name: "collector", source: "policy" },
      { namespace: "mes", name: "uploader", source: "policy" },
    ],
    onRemove: "delete",
    maxCredentialsPerShard: 20,
    tags: {},
    ...over,
  };
}

const ourTags = (cluster = CLUSTER) => ({
  "arc-wi-managed-by": MANAGED_BY,
  "arc-wi-identity": "plant/mes",
  "arc-wi-on-remove": "delete",
  "arc-wi-cluster": cluster.toLowerCase(),
});

function identity(tags: Record<string, string> = ourTags()) {
  return { id: "x", name: REF.name, location: "westeurope", tags, clientId: "cid" };
}

function ours(ns: string, sa: string, issuer = ISSUER, cluster = CLUSTER): CredentialState {
  return {
    name: credentialName(cluster, ns, sa),
    issuer,
    subject: subjectOf(ns, sa),
    audiences: [AUDIENCE],
  };
}

function plan(observed: Partial<ObservedIdentity>, over: Partial<DesiredIdentity> = {}) {
  const full: ObservedIdentity = { ref: REF, credentials: [], ...observed };
  return planIdentity({
    clusterId: CLUSTER,
    desired: desired(over),
    observed: full,
    issuer: ISSUER,
  });
}

const kinds = (p: ReturnType<typeof plan>) => p.steps.map((s) => s.kind);

describe("planIdentity", () => {
  it.each([
    ["a new cluster", {}, ["createIdentity", "createCredential", "createCredential"]],
    [
      "a converged cluster",
      { identity: identity(), credentials: [ours("mes", "collector"), ours("mes", "uploader")] },
      [],
    ],
    [
      "one credential missing",
      { identity: identity(), credentials: [ours("mes", "collector")] },
      ["createCredential"],
    ],
    [
      "a re-created cluster (new issuer)",
      {
        identity: identity(),
        credentials: [
          ours("mes", "collector", "https://old/"),
          ours("mes", "uploader", "https://old/"),
        ],
      },
      ["updateCredential", "updateCredential"],
    ],
    [
      "a credential of ours no longer wanted",
      {
        identity: identity(),
        credentials: [ours("mes", "collector"), ours("mes", "uploader"), ours("mes", "gone")],
      },
      ["deleteCredential"],
    ],
    [
      "someone else's credential with the same issuer and subject",
      {
        identity: identity(),
        credentials: [
          {
            name: "hand-made",
            issuer: ISSUER,
            subject: subjectOf("mes", "collector"),
            audiences: [AUDIENCE],
          },
          ours("mes", "uploader"),
        ],
      },
      ["adoptCredential"],
    ],
    [
      "an identity missing one of our tags",
      {
        identity: identity({ ...ourTags(), "arc-wi-on-remove": "keep" }),
        credentials: [ours("mes", "collector"), ours("mes", "uploader")],
      },
      ["updateIdentity"],
    ],
  ])("plans %s", (_case, observed, expected) => {
    const result = plan(observed);
    expect(result.problem).toBeUndefined();
    expect(kinds(result)).toEqual(expected);
  });

  it("never deletes or changes credentials it does not own", () => {
    const foreign: CredentialState[] = [
      {
        name: "team-cred",
        issuer: "https://other/",
        subject: "system:serviceaccount:x:y",
        audiences: [AUDIENCE],
      },
      ours("mes", "z", ISSUER, OTHER),
    ];
    const result = plan({
      identity: identity(),
      credentials: [...foreign, ours("mes", "collector"), ours("mes", "uploader")],
    });
    expect(result.steps).toEqual([]);
  });

  it("writes the exact subject, issuer and the single audience", () => {
    const create = plan({}).steps.find((s) => s.kind === "createCredential");
    expect(create?.credential).toEqual({
      name: credentialName(CLUSTER, "mes", "collector"),
      issuer: ISSUER,
      subject: "system:serviceaccount:mes:collector",
      audiences: ["api://AzureADTokenExchange"],
    });
  });

  it("tags a new cluster-scope identity with its owner, cluster and removal rule", () => {
    const create = plan({}).steps[0];
    expect(create?.identityBody?.tags).toMatchObject(ourTags());
  });

  it.each([
    ["IdentityNotOwned", identity({ team: "x" })],
    ["IdentityNameCollision", identity(ourTags(OTHER))],
  ])("reports %s and writes nothing", (code, existing) => {
    const result = plan({ identity: existing });
    expect(result.problem?.code).toBe(code);
    expect(result.steps).toEqual([]);
    expect(result.serviceAccounts.every((sa) => sa.credential === "missing")).toBe(true);
  });

  it("refuses to pass the credential cap, counting credentials it does not own", () => {
    const others = Array.from({ length: 19 }, (_, i) => ({
      name: `c${i}`,
      issuer: "https://x/",
      subject: `s${i}`,
      audiences: [AUDIENCE],
    }));
    const result = plan({ identity: identity(), credentials: others });
    expect(result.problem?.code).toBe("CredentialLimitReached");
    expect(result.steps).toEqual([]);
  });

  it("only adds credentials to an existing identity referenced by the policy", () => {
    const existing = identity({ team: "security" });
    const result = plan(
      { identity: existing },
      { scope: "existing", existingResourceId: "/subscriptions/x" },
    );
    expect(kinds(result)).toEqual(["createCredential", "createCredential"]);
  });

  it("reports an existing identity the policy names but Azure lacks", () => {
    expect(plan({}, { scope: "existing" }).problem?.code).toBe("ExistingIdentityNotFound");
  });
});
