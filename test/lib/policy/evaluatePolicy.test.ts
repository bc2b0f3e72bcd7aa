import { describe, expect, it } from "vitest";

import { evaluatePolicy, type PolicyEvaluation } from "../../../src/lib/policy/index.js";
import { makeCluster, policyFrom, singleIdentityPolicy } from "./policyTestKit.js";

const STORE_IDENTITY = `
        scope: cluster
        name: id-store-{tag:store}-inventory
        resourceGroup: rg-store-identities
        serviceAccounts: [inventory/sync]`;

const storePolicy = policyFrom(singleIdentityPolicy(STORE_IDENTITY));

function selected(evaluation: PolicyEvaluation) {
  if (evaluation.kind !== "selected") {
    throw new Error(`expected selected, got skipped: ${evaluation.reason}`);
  }
  return evaluation;
}

function evaluateStore(tags: Record<string, string>) {
  return selected(evaluatePolicy(storePolicy, makeCluster({ tags: { onboard: "yes", ...tags } })));
}

const LONG_256 = "a".repeat(256);

describe("evaluatePolicy", () => {
  it("renders a cluster-scope identity from a tag", () => {
    const result = evaluateStore({ store: "0042" });

    expect(result.problems).toEqual([]);
    expect(result.identities).toEqual([
      {
        key: "app/main",
        scope: "cluster",
        subscriptionId: makeCluster().subscriptionId,
        resourceGroup: "rg-store-identities",
        name: "id-store-0042-inventory",
        location: "eastus",
        serviceAccounts: [{ namespace: "inventory", name: "sync", source: "policy" }],
        onRemove: "keep",
        maxCredentialsPerShard: 20,
        tags: {},
      },
    ]);
  });

  it.each([
    ["a comma", "00,42", "InvalidTagValue"],
    ["a semicolon", "00;42", "InvalidTagValue"],
    ["an equals sign", "store=42", "InvalidTagValue"],
    ["a slash", "00/42", "InvalidTagValue"],
    ["a space", "00 42", "InvalidTagValue"],
    ["a leading space (never trimmed)", " 0042", "InvalidTagValue"],
    ["unicode letters", "mañana", "InvalidTagValue"],
    ["an emoji", "store🙂", "InvalidTagValue"],
    ["a bidi override", "0042\u202e", "InvalidTagValue"],
    ["an empty value", "", "InvalidTagValue"],
    ["256 characters", LONG_256, "InvalidIdentityName"],
    [
      "a value making 129 characters",
      "a".repeat(129 - "id-store--inventory".length),
      "InvalidIdentityName",
    ],
  ])("refuses a name tag with %s and writes nothing for it", (_case, value, code) => {
    const result = evaluateStore({ store: value });

    expect(result.identities).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ identityKey: "app/main", code });
    expect(result.problems[0]!.message).toMatch(/store/);
    expect(result.problems[0]!.message.length).toBeLessThan(600);
  });

  it.each([
    ["exactly 128 characters", 128],
    ["3 characters", 3],
  ])("accepts a rendered name of %s", (_case, length) => {
    const policy = policyFrom(
      singleIdentityPolicy(`
        scope: cluster
        name: "{tag:n}"
        resourceGroup: rg-ids
        serviceAccounts: [a/b]`),
    );
    const tags = { onboard: "yes", n: "x".repeat(length) };

    const result = selected(evaluatePolicy(policy, makeCluster({ tags })));

    expect(result.problems).toEqual([]);
    expect(result.identities[0]!.name).toHaveLength(length);
  });

  it.each([
    ["2 characters", 2],
    ["129 characters", 129],
  ])("refuses a rendered name of %s", (_case, length) => {
    const policy = policyFrom(
      singleIdentityPolicy(`
        scope: cluster
        name: "{tag:n}"
        resourceGroup: rg-ids
        serviceAccounts: [a/b]`),
    );
    const tags = { onboard: "yes", n: "x".repeat(length) };

    const result = selected(evaluatePolicy(policy, makeCluster({ tags })));

    expect(result.identities).toEqual([]);
    expect(result.problems[0]).toMatchObject({ code: "InvalidIdentityName" });
    expect(result.problems[0]!.message).toContain(`${length}`);
  });

  it("truncates a long hostile value in the message", () => {
    const result = evaluateStore({ store: `${"x/".repeat(128)}` });

    const message = result.problems[0]!.message;
    expect(message).toContain("(256 characters)");
    expect(message).not.toContain("x/".repeat(64));
  });

  it("escapes control and bidi characters in messages", () => {
    const result = evaluateStore({ store: "ab\u202e\ncd" });

    expect(result.problems[0]!.message).toContain("\\u{202e}\\u{a}");
    expect(result.problems[0]!.message).not.toContain("\u202e");
  });

  it.each([
    ["STORE", "0042"],
    ["Store", "0042"],
    ["sToRe", "0042"],
  ])("finds the template tag under key %s (keys are case-insensitive)", (key, value) => {
    const result = evaluateStore({ [key]: value });

    expect(result.problems).toEqual([]);
    expect(result.identities[0]!.name).toBe("id-store-0042-inventory");
  });

  it("refuses a tag key present twice in different case with different values", () => {
    const result = evaluateStore({ store: "0042", STORE: "0043" });

    expect(result.identities).toEqual([]);
    expect(result.problems[0]).toMatchObject({ code: "InvalidTagValue" });
    expect(result.problems[0]!.message).toMatch(/"STORE".*"store"|"store".*"STORE"/);
  });

  it("reports a missing template tag, naming the tag", () => {
    const result = evaluateStore({});

    expect(result.identities).toEqual([]);
    expect(result.problems).toEqual([
      expect.objectContaining({ identityKey: "app/main", code: "MissingTemplateTag" }),
    ]);
    expect(result.problems[0]!.message).toContain('"store"');
  });

  it("keeps the other identities when one identity's tag is bad", () => {
    const policy = policyFrom(`
profiles:
  app:
    identities:
      - id: per-store
        scope: cluster
        name: id-{tag:store}
        resourceGroup: rg-ids
        serviceAccounts: [a/b]
      - id: shared
        scope: shared
        name: id-shared
        resourceGroup: rg-ids
        serviceAccounts: [a/c]
rules:
  - match: {}
    profiles: [app]
`);

    const result = selected(evaluatePolicy(policy, makeCluster({ tags: { store: "a/b" } })));

    expect(result.identities.map((i) => i.key)).toEqual(["app/shared"]);
    expect(result.problems.map((p) => p.identityKey)).toEqual(["app/per-store"]);
  });
});
