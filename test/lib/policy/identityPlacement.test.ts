import { describe, expect, it } from "vitest";

import {
  evaluatePolicy,
  type ClusterFacts,
  type LoadedPolicy,
} from "../../../src/lib/policy/index.js";
import { makeCluster, policyFrom, singleIdentityPolicy } from "./policyTestKit.js";

function evaluate(policy: LoadedPolicy, facts: Partial<ClusterFacts>) {
  const result = evaluatePolicy(
    policy,
    makeCluster({ ...facts, tags: { onboard: "yes", ...facts.tags } }),
  );
  if (result.kind !== "selected") {
    throw new Error(result.reason);
  }
  return result;
}

const perCluster = (extra = "", defaults = "") =>
  policyFrom(
    singleIdentityPolicy(
      `
        scope: cluster
        name: id-{cluster}-mes
        resourceGroup: rg-plant-identities
        serviceAccounts: [mes/collector]${extra}`,
      "",
      defaults,
    ),
  );

describe("identity placement", () => {
  it.each([
    ["malaysiasouth", "westeurope"],
    ["newzealandnorth", "westeurope"],
    ["Malaysia South", "westeurope"],
    ["eastus", "eastus"],
  ])("places an identity of a cluster in %s in %s with a fallback region", (location, expected) => {
    const policy = perCluster("", "defaults: { fallbackRegion: westeurope }");

    expect(evaluate(policy, { location }).identities[0]!.location).toBe(expected);
  });

  it("reports UnsupportedRegion, naming the setting, without a fallback region", () => {
    const result = evaluate(perCluster(), { location: "malaysiasouth" });

    expect(result.identities).toEqual([]);
    expect(result.problems).toEqual([
      expect.objectContaining({ identityKey: "app/main", code: "UnsupportedRegion" }),
    ]);
    expect(result.problems[0]!.message).toContain("defaults.fallbackRegion");
  });

  it("uses the policy's own list of unsupported regions", () => {
    const defaults =
      "defaults: { unsupportedCredentialRegions: [eastus], fallbackRegion: westus3 }";

    const result = evaluate(perCluster("", defaults), { location: "malaysiasouth" });

    expect(result.identities[0]!.location).toBe("malaysiasouth");
    expect(evaluate(perCluster("", defaults), { location: "eastus" }).identities[0]!.location).toBe(
      "westus3",
    );
  });

  it.each([
    ["a valid location", "westus2", undefined],
    ["an upper-case location", "WestUS2", "InvalidTagValue"],
    ["a location with a slash", "west/us", "InvalidTagValue"],
  ])("takes the location from a tag: %s", (_case, value, code) => {
    const policy = perCluster('\n        location: "{tag:region}"');

    const result = evaluate(policy, { tags: { region: value } });

    if (code === undefined) {
      expect(result.identities[0]!.location).toBe(value);
    } else {
      expect(result.problems[0]!.code).toBe(code);
    }
  });

  it("renders the resource group from the cluster's own", () => {
    const policy = policyFrom(
      singleIdentityPolicy(`
        scope: cluster
        name: id-{cluster}
        resourceGroup: "{resourceGroup}-ids"
        subscription: 11111111-2222-3333-4444-555555555555
        serviceAccounts: [a/b]
        onRemove: delete
        tags: { owner: platform }`),
    );

    const identity = evaluate(policy, { resourceGroup: "rg-a" }).identities[0];

    expect(identity).toMatchObject({
      resourceGroup: "rg-a-ids",
      subscriptionId: "11111111-2222-3333-4444-555555555555",
      onRemove: "delete",
      tags: { owner: "platform" },
    });
  });

  it("reports a rendered resource group that breaks Azure's rules", () => {
    const policy = policyFrom(
      singleIdentityPolicy(`
        scope: cluster
        name: id-{cluster}
        resourceGroup: "{resourceGroup}{resourceGroup}"
        serviceAccounts: [a/b]`),
    );

    const result = evaluate(policy, { resourceGroup: "r".repeat(50) });

    expect(result.problems[0]).toMatchObject({ code: "InvalidResourceGroup" });
  });

  it("reports a cluster name that cannot be part of an identity name", () => {
    const result = evaluate(perCluster(), { name: "plant.pg1" });

    expect(result.problems[0]).toMatchObject({ code: "InvalidIdentityName" });
    expect(result.problems[0]!.message).toContain('"id-plant.pg1-mes"');
  });

  it.each([
    [124, true],
    [125, false],
  ])("accepts a shared base name of %s characters: %s", (length, ok) => {
    const policy = policyFrom(
      singleIdentityPolicy(`
        scope: shared
        name: "id-{tag:env}"
        resourceGroup: rg-ids
        serviceAccounts: [a/b]
        maxCredentialsPerShard: 5`),
    );

    const result = evaluate(policy, { tags: { env: "e".repeat(length - 3) } });

    expect(result.identities.length === 1).toBe(ok);
    if (ok) {
      expect(result.identities[0]).toMatchObject({
        scope: "shared",
        maxCredentialsPerShard: 5,
        onRemove: "keep",
      });
    } else {
      expect(result.problems[0]!.message).toContain("shard suffix");
    }
  });

  it("references an existing identity by id, keeping its spelling", () => {
    const resourceId =
      "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/RG-Shared/providers/Microsoft.ManagedIdentity/userAssignedIdentities/ID-KeyVault";
    const policy = policyFrom(
      singleIdentityPolicy(`
        scope: existing
        resourceId: ${resourceId}
        location: westeurope
        serviceAccounts: [a/b]`),
    );

    expect(evaluate(policy, {}).identities[0]).toEqual({
      key: "app/main",
      scope: "existing",
      subscriptionId: "11111111-1111-1111-1111-111111111111",
      resourceGroup: "RG-Shared",
      name: "ID-KeyVault",
      location: "westeurope",
      existingResourceId: resourceId,
      serviceAccounts: [{ namespace: "a", name: "b", source: "policy" }],
      onRemove: "keep",
      maxCredentialsPerShard: 20,
      tags: {},
    });
  });

  it("never lets a tag choose the subscription or resource group", () => {
    const result = evaluate(perCluster(), {
      tags: { subscription: "00000000-0000-0000-0000-000000000000", resourceGroup: "rg-evil" },
    });

    expect(result.identities[0]).toMatchObject({
      subscriptionId: makeCluster().subscriptionId,
      resourceGroup: "rg-plant-identities",
    });
  });
});

describe("identity conflicts", () => {
  it("keeps the first of two entries that render to the same identity and reports the second", () => {
    const policy = policyFrom(`
profiles:
  one:
    identities:
      - { id: a, scope: shared, name: id-shared, resourceGroup: rg-ids, serviceAccounts: [a/b] }
  two:
    identities:
      - { id: b, scope: shared, name: ID-Shared, resourceGroup: RG-IDS, serviceAccounts: [c/d] }
      - { id: c, scope: shared, name: id-other, resourceGroup: rg-ids, serviceAccounts: [c/d] }
rules:
  - { match: {}, profiles: [one, two] }
`);

    const result = evaluatePolicy(policy, makeCluster());

    expect(result).toMatchObject({
      kind: "selected",
      identities: [{ key: "one/a" }, { key: "two/c" }],
      problems: [{ identityKey: "two/b", code: "IdentityConflict" }],
    });
  });
});
