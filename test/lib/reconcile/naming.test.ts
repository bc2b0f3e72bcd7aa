import { describe, expect, it } from "vitest";

import {
  clusterCredentialPrefix,
  clusterTagValue,
  credentialName,
  readTag,
  shardIdentityName,
  subjectOf,
} from "../../../src/lib/reconcile/naming.js";

const CLUSTER =
  "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-stores-east/providers/Microsoft.Kubernetes/connectedClusters/store-0042";
const FIC_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-_]{2,119}$/;

describe("credentialName", () => {
  it("is deterministic and valid for Azure's credential name rule", () => {
    const name = credentialName(CLUSTER, "payments", "api");
    expect(name).toBe(credentialName(CLUSTER, "payments", "api"));
    expect(name).toMatch(FIC_NAME);
    expect(name.startsWith("arcwi-")).toBe(true);
  });

  it("ignores the casing of the cluster id, since ARM ids compare case-insensitively", () => {
    expect(credentialName(CLUSTER.toUpperCase(), "payments", "api")).toBe(
      credentialName(CLUSTER, "payments", "api"),
    );
  });

  it.each([
    ["another namespace", "inventory", "api"],
    ["another service account", "payments", "worker"],
  ])("differs for %s", (_case, ns, sa) => {
    expect(credentialName(CLUSTER, ns, sa)).not.toBe(credentialName(CLUSTER, "payments", "api"));
  });

  it("starts with the cluster's prefix, and another cluster's prefix differs", () => {
    const other = CLUSTER.replace("store-0042", "store-0043");
    expect(credentialName(CLUSTER, "a", "b").startsWith(clusterCredentialPrefix(CLUSTER))).toBe(
      true,
    );
    expect(clusterCredentialPrefix(other)).not.toBe(clusterCredentialPrefix(CLUSTER));
  });
});

describe("naming helpers", () => {
  it.each([
    [0, "id-payments-prod"],
    [1, "id-payments-prod-1"],
    [9, "id-payments-prod-9"],
  ])("names shard %i %s", (shard, expected) => {
    expect(shardIdentityName("id-payments-prod", shard)).toBe(expected);
  });

  it("builds the Kubernetes subject exactly", () => {
    expect(subjectOf("payments", "api")).toBe("system:serviceaccount:payments:api");
  });

  it("hashes cluster ids too long for a tag value", () => {
    expect(clusterTagValue(CLUSTER)).toBe(CLUSTER.toLowerCase());
    expect(clusterTagValue(`${CLUSTER}${"x".repeat(300)}`)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("reads tags with a case-insensitive key", () => {
    expect(readTag({ "ARC-WI-Managed-By": "x" }, "arc-wi-managed-by")).toBe("x");
    expect(readTag({}, "a")).toBeUndefined();
  });
});
