import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import {
  evaluatePolicy,
  loadPolicy,
  type LoadedPolicy,
  type PolicyEvaluation,
} from "../../../src/lib/policy/index.js";
import { makeCluster } from "./policyTestKit.js";

const EXAMPLES = fileURLToPath(new URL("../../../examples/", import.meta.url));
const exampleFiles = readdirSync(EXAMPLES).filter((f) => f.endsWith(".policy.yaml"));

async function loadExample(file: string): Promise<LoadedPolicy> {
  return loadPolicy({ path: `${EXAMPLES}${file}` });
}

function selected(evaluation: PolicyEvaluation) {
  if (evaluation.kind !== "selected") {
    throw new Error(`expected selected, got skipped: ${evaluation.reason}`);
  }
  return evaluation;
}

describe("example policies", () => {
  it("ships at least three examples", () => {
    expect(exampleFiles.length).toBeGreaterThanOrEqual(3);
  });

  it.each(exampleFiles)("parses %s", async (file) => {
    const policy = await loadExample(file);

    expect(policy.version).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe("retail stores (SCENARIOS.md §1)", () => {
  const storeTags = { "site-type": "store", store: "0042", environment: "prod" };

  it("gives a store payments shared, inventory per store and monitoring shared", async () => {
    const policy = await loadExample("retail-stores.policy.yaml");
    const cluster = makeCluster({ resourceGroup: "rg-stores-east", tags: storeTags });

    const result = selected(evaluatePolicy(policy, cluster));

    expect(result.problems).toEqual([]);
    expect(result.profiles).toEqual(["store-payments", "store-inventory", "store-monitoring"]);
    expect(result.identities.map((i) => [i.key, i.scope, i.name, i.resourceGroup])).toEqual([
      ["store-payments/payments", "shared", "id-payments-prod", "rg-store-identities"],
      ["store-inventory/inventory", "cluster", "id-store-0042-inventory", "rg-store-identities"],
      ["store-monitoring/monitoring", "shared", "id-monitoring-prod", "rg-store-identities"],
    ]);
    expect(result.identities[0]!.serviceAccounts).toEqual([
      { namespace: "payments", name: "api", source: "policy" },
    ]);
    expect(result.identities[0]!.maxCredentialsPerShard).toBe(20);
    expect(result.identities[1]!.onRemove).toBe("delete");
  });

  it("gives a pilot store the staging identities", async () => {
    const policy = await loadExample("retail-stores.policy.yaml");
    const tags = { ...storeTags, environment: "staging" };

    const result = selected(evaluatePolicy(policy, makeCluster({ tags })));

    expect(result.identities.map((i) => i.name)).toContain("id-payments-staging");
  });

  it.each([
    ["a lab cluster in rg-lab tagged site-type=store", { resourceGroup: "rg-lab" }, storeTags],
    ["a store with an unknown environment", {}, { ...storeTags, environment: "test" }],
    ["a store whose environment differs in case", {}, { ...storeTags, environment: "Prod" }],
  ])("skips %s", async (_case, facts, tags) => {
    const policy = await loadExample("retail-stores.policy.yaml");

    const result = evaluatePolicy(policy, makeCluster({ ...facts, tags }));

    expect(result).toEqual({ kind: "skipped", reason: "no policy rule matches this cluster" });
  });

  it("matches the resource group case-insensitively, as ARM does", async () => {
    const policy = await loadExample("retail-stores.policy.yaml");

    const result = evaluatePolicy(
      policy,
      makeCluster({ resourceGroup: "RG-Stores-West", tags: storeTags }),
    );

    expect(result.kind).toBe("selected");
  });

  it("skips a store that opted out, whatever the case of the tag key", async () => {
    const policy = await loadExample("retail-stores.policy.yaml");
    const tags = { ...storeTags, "ARC-WI": "disabled" };

    const result = evaluatePolicy(policy, makeCluster({ tags }));

    expect(result).toEqual({ kind: "skipped", reason: 'opted out by tag "arc-wi"="disabled"' });
  });
});

describe("manufacturing plants (SCENARIOS.md §2)", () => {
  const plant = {
    resourceGroup: "rg-plant-penang",
    name: "plant-pg1-line2",
    distribution: "openshift",
  };
  const plantTags = { plant: "PG1", line: "2" };

  it("gives a plant its own identity with both MES service accounts, in its region", async () => {
    const policy = await loadExample("manufacturing-plants.policy.yaml");

    const result = selected(
      evaluatePolicy(policy, makeCluster({ ...plant, location: "westeurope", tags: plantTags })),
    );

    expect(result.problems).toEqual([]);
    expect(result.identities).toEqual([
      expect.objectContaining({
        key: "plant-mes/mes",
        scope: "cluster",
        name: "id-plant-pg1-line2-mes",
        resourceGroup: "rg-plant-identities",
        location: "westeurope",
        onRemove: "delete",
        serviceAccounts: [
          { namespace: "mes", name: "collector", source: "policy" },
          { namespace: "mes", name: "uploader", source: "policy" },
        ],
      }),
    ]);
  });

  it("places the identity of a plant in malaysiasouth in the fallback region", async () => {
    const policy = await loadExample("manufacturing-plants.policy.yaml");

    const result = selected(
      evaluatePolicy(policy, makeCluster({ ...plant, location: "malaysiasouth", tags: plantTags })),
    );

    expect(result.identities[0]!.location).toBe("southeastasia");
  });

  it("adds service accounts from the tag when every entry is allowed", async () => {
    const policy = await loadExample("manufacturing-plants.policy.yaml");
    const tags = {
      ...plantTags,
      "wi-extra-serviceaccounts": "site-tools/exporter,site-tools/backup",
    };

    const result = selected(evaluatePolicy(policy, makeCluster({ ...plant, tags })));

    expect(result.problems).toEqual([]);
    expect(result.identities[0]!.serviceAccounts.filter((s) => s.source === "tag")).toEqual([
      { namespace: "site-tools", name: "exporter", source: "tag" },
      { namespace: "site-tools", name: "backup", source: "tag" },
    ]);
  });

  it("refuses kube-system/x by name and federates nothing from that tag", async () => {
    const policy = await loadExample("manufacturing-plants.policy.yaml");
    const tags = { ...plantTags, "wi-extra-serviceaccounts": "site-tools/exporter,kube-system/x" };

    const result = selected(evaluatePolicy(policy, makeCluster({ ...plant, tags })));

    expect(result.problems).toEqual([
      expect.objectContaining({ identityKey: "plant-mes/mes", code: "NamespaceNotAllowed" }),
    ]);
    expect(result.problems[0]!.message).toContain('"kube-system/x"');
    expect(result.identities[0]!.serviceAccounts.map((s) => s.source)).toEqual([
      "policy",
      "policy",
    ]);
  });

  it("skips a plant tagged arc-wi=disabled", async () => {
    const policy = await loadExample("manufacturing-plants.policy.yaml");

    const result = evaluatePolicy(
      policy,
      makeCluster({ ...plant, tags: { ...plantTags, "arc-wi": "disabled" } }),
    );

    expect(result.kind).toBe("skipped");
  });
});

describe("mixed fleet (SCENARIOS.md §3)", () => {
  const subscriptionId = "33333333-3333-3333-3333-333333333333";

  it("gives an AKS Arc cluster monitoring, its team identity and the existing backup identity", async () => {
    const policy = await loadExample("mixed-fleet.policy.yaml");
    const cluster = makeCluster({
      subscriptionId,
      resourceGroup: "rg-hci-01",
      name: "hci-01",
      kind: "ProvisionedCluster",
      distribution: "aks_management",
      tags: { onboard: "true", team: "billing" },
    });

    const result = selected(evaluatePolicy(policy, cluster));

    expect(result.problems).toEqual([]);
    expect(result.identities.map((i) => [i.key, i.name, i.resourceGroup])).toEqual([
      ["fleet-monitoring/agent", "id-fleet-monitoring", "rg-fleet-identities"],
      ["team-apps/app", "id-hci-01-billing", "rg-hci-01"],
      ["aks-arc-backup/backup", "id-backup", "rg-backup"],
    ]);
    expect(result.identities[0]!.maxCredentialsPerShard).toBe(18);
    expect(result.identities[2]).toMatchObject({
      scope: "existing",
      subscriptionId: "11111111-1111-1111-1111-111111111111",
      existingResourceId: expect.stringContaining("/userAssignedIdentities/id-backup"),
      onRemove: "keep",
    });
  });

  it("gives an EKS cluster without a team only the monitoring identity", async () => {
    const policy = await loadExample("mixed-fleet.policy.yaml");
    const cluster = makeCluster({ subscriptionId, distribution: "eks", tags: { onboard: "true" } });

    const result = selected(evaluatePolicy(policy, cluster));

    expect(result.identities.map((i) => i.key)).toEqual(["fleet-monitoring/agent"]);
  });

  it("never onboards the sandbox subscription, whatever its tags", async () => {
    const policy = await loadExample("mixed-fleet.policy.yaml");
    const cluster = makeCluster({
      subscriptionId: "22222222-2222-2222-2222-222222222222",
      tags: { onboard: "true", team: "billing" },
    });

    const result = evaluatePolicy(policy, cluster);

    expect(result).toEqual({
      kind: "skipped",
      reason: "the matching rules (sandbox) select no profile",
    });
  });
});

describe("docs/policy.md", () => {
  const docs = readFileSync(
    fileURLToPath(new URL("../../../docs/policy.md", import.meta.url)),
    "utf8",
  );

  it.each(exampleFiles)("shows %s verbatim", (file) => {
    const example = readFileSync(`${EXAMPLES}${file}`, "utf8");

    expect(docs).toContain(`\`examples/${file}\`\n\n\`\`\`yaml\n${example}\`\`\``);
  });
});
