import { describe, expect, it } from "vitest";

import { evaluatePolicy, type PolicyEvaluation } from "../../../src/lib/policy/index.js";
import { makeCluster, policyFrom, singleIdentityPolicy } from "./policyTestKit.js";

const policy = policyFrom(
  singleIdentityPolicy(
    `
        scope: cluster
        name: id-{cluster}-mes
        resourceGroup: rg-plant-identities
        serviceAccounts: [mes/collector]`,
    `    serviceAccountsFromTag:
      tag: wi-extra-serviceaccounts
      identity: main
      allowedNamespaces: ["site-*", tools]
      max: 3`,
  ),
);

function evaluateWith(value: string, key = "wi-extra-serviceaccounts") {
  const evaluation: PolicyEvaluation = evaluatePolicy(
    policy,
    makeCluster({ tags: { onboard: "yes", [key]: value } }),
  );
  if (evaluation.kind !== "selected") {
    throw new Error("expected selected");
  }
  return evaluation;
}

const fromTag = (e: ReturnType<typeof evaluateWith>) =>
  e.identities[0]!.serviceAccounts.filter((s) => s.source === "tag").map(
    (s) => `${s.namespace}/${s.name}`,
  );

describe("service accounts from a tag", () => {
  it.each([
    ["one entry", "site-tools/exporter", ["site-tools/exporter"]],
    [
      "two entries",
      "site-tools/exporter,site-tools/backup",
      ["site-tools/exporter", "site-tools/backup"],
    ],
    ["an exact namespace", "tools/x", ["tools/x"]],
    ["a repeated entry once", "site-a/x,site-a/x", ["site-a/x"]],
    ["an empty value as nothing", "", []],
    [
      "63-character names",
      `site-${"n".repeat(58)}/${"s".repeat(63)}`,
      [`site-${"n".repeat(58)}/${"s".repeat(63)}`],
    ],
  ])("accepts %s", (_case, value, expected) => {
    const result = evaluateWith(value);

    expect(result.problems).toEqual([]);
    expect(fromTag(result)).toEqual(expected);
  });

  it.each([
    [
      "a namespace outside the allow-list",
      "site-tools/exporter,kube-system/x",
      "NamespaceNotAllowed",
      '"kube-system/x"',
    ],
    [
      "a namespace that only starts like an allowed one",
      "sitetools/x",
      "NamespaceNotAllowed",
      '"sitetools/x"',
    ],
    ["upper case (never lower-cased)", "Site-Tools/x", "InvalidServiceAccount", '"Site-Tools/x"'],
    [
      "a space after the comma (never trimmed)",
      "site-a/x, site-a/y",
      "InvalidServiceAccount",
      "not trimmed",
    ],
    ["a trailing comma", "site-a/x,", "InvalidServiceAccount", "it is empty"],
    ["a missing name", "site-a/", "InvalidServiceAccount", '"site-a/"'],
    ["two slashes", "site-a/x/y", "InvalidServiceAccount", 'exactly one "/"'],
    ["a semicolon separator", "site-a/x;site-a/y", "InvalidServiceAccount", "site-a/x;site-a/y"],
    ["an equals sign", "site-a/x=y", "InvalidServiceAccount", "x=y"],
    ["unicode", "site-ä/x", "InvalidServiceAccount", "site-ä"],
    ["a 64-character name", `site-a/${"s".repeat(64)}`, "InvalidServiceAccount", "(it has 64)"],
    [
      "a 64-character namespace",
      `site-${"n".repeat(59)}/x`,
      "InvalidServiceAccount",
      "(it has 64)",
    ],
    [
      "more entries than max",
      "site-a/a,site-a/b,site-a/c,site-a/d",
      "TooManyServiceAccounts",
      "more than the 3",
    ],
  ])("refuses %s and federates nothing from the tag", (_case, value, code, named) => {
    const result = evaluateWith(value);

    expect(result.problems).toContainEqual(
      expect.objectContaining({ identityKey: "app/main", code }),
    );
    expect(result.problems.map((p) => p.message).join("\n")).toContain(named);
    expect(fromTag(result)).toEqual([]);
    expect(result.identities[0]!.serviceAccounts).toEqual([
      { namespace: "mes", name: "collector", source: "policy" },
    ]);
  });

  it("names every refused entry", () => {
    const result = evaluateWith("kube-system/x,Bad/y,site-a/ok");

    expect(result.problems.map((p) => p.code)).toEqual([
      "NamespaceNotAllowed",
      "InvalidServiceAccount",
    ]);
  });

  it("reads the tag whatever the case of its key", () => {
    const result = evaluateWith("site-a/x", "WI-Extra-ServiceAccounts");

    expect(fromTag(result)).toEqual(["site-a/x"]);
  });

  it("truncates a 256-character entry in the message", () => {
    const result = evaluateWith(`kube-system/${"x".repeat(244)}`);

    expect(result.problems[0]!.message).toContain("(256 characters)");
  });

  it("leaves out an identity with no service account at all", () => {
    const onlyTag = policyFrom(
      singleIdentityPolicy(
        `
        scope: cluster
        name: id-{cluster}-extra
        resourceGroup: rg-ids`,
        `    serviceAccountsFromTag: { tag: extra, identity: main, allowedNamespaces: ["site-*"] }`,
      ),
    );

    const result = evaluatePolicy(
      onlyTag,
      makeCluster({ tags: { onboard: "yes", extra: "kube-system/x" } }),
    );

    expect(result).toMatchObject({ kind: "selected", identities: [] });
    expect(result.kind === "selected" && result.problems[0]!.code).toBe("NamespaceNotAllowed");
  });
});
