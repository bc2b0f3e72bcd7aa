import { describe, expect, it } from "vitest";

import { evaluatePolicy, type ClusterFacts } from "../../../src/lib/policy/index.js";
import { makeCluster, policyFrom } from "./policyTestKit.js";

const identity = (id: string) => `
  ${id}:
    identities:
      - { id: main, scope: shared, name: id-${id}, resourceGroup: rg-ids, serviceAccounts: [a/b] }`;

function profilesFor(rules: string, cluster: ClusterFacts): string[] | string {
  const policy = policyFrom(`
profiles:${identity("one")}${identity("two")}${identity("three")}
rules:
${rules}
`);
  const result = evaluatePolicy(policy, cluster);
  return result.kind === "selected" ? result.profiles : result.reason;
}

const east = makeCluster({
  resourceGroup: "rg-stores-east",
  location: "eastus",
  tags: { env: "prod" },
});

describe("rules", () => {
  it.each([
    [
      "the union of every matching rule",
      `  - { match: { tags: { env: prod } }, profiles: [one] }\n  - { match: { locations: [eastus] }, profiles: [two, one] }`,
      ["one", "two"],
    ],
    [
      "a profile listed twice in one rule once",
      `  - { match: {}, profiles: [two, two, one] }`,
      ["two", "one"],
    ],
    [
      "first match only when the rule is final",
      `  - { match: { tags: { env: prod } }, profiles: [one], final: true }\n  - { match: {}, profiles: [two] }`,
      ["one"],
    ],
    [
      "rules after a final rule that does not match",
      `  - { match: { tags: { env: dev } }, profiles: [one], final: true }\n  - { match: {}, profiles: [two] }`,
      ["two"],
    ],
    [
      "a rule whose exclude holds is skipped",
      `  - { match: {}, exclude: { resourceGroups: ["rg-stores-*"] }, profiles: [one] }\n  - { match: {}, profiles: [two] }`,
      ["two"],
    ],
    ["a tag value glob", `  - { match: { tags: { env: "pr*" } }, profiles: [one] }`, ["one"]],
    [
      "a tag value list",
      `  - { match: { tags: { env: [staging, prod] } }, profiles: [one] }`,
      ["one"],
    ],
    [
      "a tag key in another case",
      `  - { match: { tags: { ENV: prod } }, profiles: [one] }`,
      ["one"],
    ],
    [
      "a resource group in another case",
      `  - { match: { resourceGroups: [RG-STORES-EAST] }, profiles: [one] }`,
      ["one"],
    ],
    [
      "a subscription glob",
      `  - { match: { subscriptions: ["0B1F6471-*"] }, profiles: [one] }`,
      ["one"],
    ],
    ["a distribution", `  - { match: { distributions: [K3s] }, profiles: [one] }`, ["one"]],
    [
      "every condition of a match (all must hold)",
      `  - { match: { tags: { env: prod }, locations: [westeurope] }, profiles: [one] }\n  - { match: {}, profiles: [three] }`,
      ["three"],
    ],
  ])("selects %s", (_case, rules, expected) => {
    expect(profilesFor(rules, east)).toEqual(expected);
  });

  it.each([
    [
      "a tag value in another case (values are case-sensitive)",
      `  - { match: { tags: { env: Prod } }, profiles: [one] }`,
    ],
    ["a tag the cluster lacks", `  - { match: { tags: { store: "*" } }, profiles: [one] }`],
    ["a kind the cluster lacks", `  - { match: { kinds: [ProvisionedCluster] }, profiles: [one] }`],
    [
      "a glob that must match the whole value",
      `  - { match: { resourceGroups: [rg-stores] }, profiles: [one] }`,
    ],
  ])("matches nothing for %s", (_case, rules) => {
    expect(profilesFor(rules, east)).toBe("no policy rule matches this cluster");
  });

  it("says which rules matched when they select no profile", () => {
    const rules = `  - { name: quarantine, match: { tags: { env: prod } }, profiles: [], final: true }\n  - { match: {}, profiles: [one] }`;

    expect(profilesFor(rules, east)).toBe("the matching rules (quarantine) select no profile");
  });

  it("matches an empty tag value with *", () => {
    const cluster = makeCluster({ tags: { store: "" } });

    expect(
      profilesFor(`  - { match: { tags: { store: "*" } }, profiles: [one] }`, cluster),
    ).toEqual(["one"]);
  });

  it("lets ? require a non-empty value", () => {
    const cluster = makeCluster({ tags: { store: "" } });

    expect(profilesFor(`  - { match: { tags: { store: "?*" } }, profiles: [one] }`, cluster)).toBe(
      "no policy rule matches this cluster",
    );
  });

  it("treats glob characters of a tag value literally except * and ?", () => {
    const cluster = makeCluster({ tags: { env: "a.b(c)[d]+/e" } });

    expect(
      profilesFor(`  - { match: { tags: { env: "a.b(c)[d]+/*" } }, profiles: [one] }`, cluster),
    ).toEqual(["one"]);
    expect(profilesFor(`  - { match: { tags: { env: "aXb*" } }, profiles: [one] }`, cluster)).toBe(
      "no policy rule matches this cluster",
    );
  });

  it("does not trust a tag key present twice with different values", () => {
    const cluster = makeCluster({ tags: { env: "prod", ENV: "dev" } });

    expect(profilesFor(`  - { match: { tags: { env: "*" } }, profiles: [one] }`, cluster)).toBe(
      "no policy rule matches this cluster",
    );
  });
});

describe("opt-out", () => {
  const rules = `  - { match: {}, profiles: [one] }`;

  it.each([
    ["arc-wi", "disabled", true],
    ["Arc-WI", "disabled", true],
    ["arc-wi", "Disabled", false],
    ["arc-wi", "disabled ", false],
    ["arc-wi", "enabled", false],
  ])("with tag %s=%s opts out: %s", (key, value, optedOut) => {
    const result = profilesFor(rules, makeCluster({ tags: { [key]: value } }));

    expect(typeof result === "string" && result.startsWith("opted out")).toBe(optedOut);
  });

  it("opts out when one of two spellings of the key says so", () => {
    const result = profilesFor(
      rules,
      makeCluster({ tags: { "arc-wi": "disabled", "ARC-WI": "on" } }),
    );

    expect(result).toMatch(/^opted out/);
  });

  it("uses the key and value the policy names", () => {
    const policy = policyFrom(`
defaults: { optOutTag: { key: workload-identity, value: "off" } }
profiles:${identity("one")}
rules:
${rules}
`);

    expect(evaluatePolicy(policy, makeCluster({ tags: { "arc-wi": "disabled" } })).kind).toBe(
      "selected",
    );
    expect(evaluatePolicy(policy, makeCluster({ tags: { "Workload-Identity": "off" } }))).toEqual({
      kind: "skipped",
      reason: 'opted out by tag "workload-identity"="off"',
    });
  });
});

describe("cluster facts from untyped JSON", () => {
  const rules = `  - { match: { tags: { env: "*" } }, profiles: [one] }\n  - { match: {}, profiles: [two] }`;

  it.each([
    ["null tags", null],
    ["a number as a tag value", { env: 42 }],
    ["an object as a tag value", { env: { nested: true } }],
  ])("does not throw for %s, treating them as no tag", (_case, tags) => {
    const cluster = makeCluster({ tags: tags as unknown as Record<string, string> });

    expect(profilesFor(rules, cluster)).toEqual(["two"]);
  });
});
