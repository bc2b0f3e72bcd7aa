import { describe, expect, it } from "vitest";

import { sameId, tryParseClusterId, tryParseIdentityId } from "../../../src/lib/arm/resourceId.js";

const SUB = "00000000-0000-0000-0000-000000000001";
const GOOD = `/subscriptions/${SUB}/resourceGroups/rg-a/providers/Microsoft.Kubernetes/connectedClusters/c1`;

describe("tryParseClusterId", () => {
  it("parses a cluster id into its parts", () => {
    expect(tryParseClusterId(GOOD)).toEqual({
      subscriptionId: SUB,
      resourceGroup: "rg-a",
      name: "c1",
      id: GOOD,
    });
  });

  it("accepts ARM's mixed casing and returns the canonical id", () => {
    const mixed = `/SUBSCRIPTIONS/${SUB}/resourcegroups/rg-a/providers/microsoft.kubernetes/CONNECTEDCLUSTERS/c1`;
    expect(tryParseClusterId(mixed)?.id).toBe(GOOD);
  });

  it.each([
    ["a child resource", `${GOOD}/providers/Microsoft.KubernetesConfiguration/extensions/flux`],
    ["a tags resource", `${GOOD}/providers/Microsoft.Resources/tags/default`],
    [
      "a deployment",
      `/subscriptions/${SUB}/resourceGroups/rg-a/providers/Microsoft.Resources/deployments/d1`,
    ],
    [
      "a dot-dot segment",
      `/subscriptions/${SUB}/resourceGroups/../providers/Microsoft.Kubernetes/connectedClusters/c1`,
    ],
    ["a trailing slash", `${GOOD}/`],
    ["no leading slash", GOOD.slice(1)],
    ["a subscription that is not a GUID", GOOD.replace(SUB, "not-a-guid")],
    ["another provider", GOOD.replace("Microsoft.Kubernetes", "Microsoft.ContainerService")],
    ["an empty name", GOOD.replace("/c1", "/")],
    ["a name with a slash-free but invalid character", GOOD.replace("/c1", "/c1;rm")],
    ["an empty string", ""],
  ])("refuses %s", (_case, id) => {
    expect(tryParseClusterId(id)).toBeUndefined();
  });
});

describe("identity ids", () => {
  it("parses an identity id and compares ids case-insensitively", () => {
    const id = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-a`;
    expect(tryParseIdentityId(id)).toEqual({
      subscriptionId: SUB,
      resourceGroup: "rg",
      name: "id-a",
    });
    expect(sameId(id, id.toUpperCase())).toBe(true);
    expect(tryParseIdentityId(GOOD)).toBeUndefined();
  });
});
