import { describe, expect, it } from "vitest";

import { parsePolicy, PolicyValidationError } from "../../../src/lib/policy/index.js";
import { singleIdentityPolicy } from "./policyTestKit.js";

function problemsOf(text: string) {
  try {
    parsePolicy(text, "inline");
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyValidationError);
    return (error as PolicyValidationError).problems;
  }
  throw new Error("expected the policy to be refused");
}

const CLUSTER = `
        scope: cluster
        resourceGroup: rg-ids
        serviceAccounts: [app/web]`;
const SHARED = `
        scope: shared
        resourceGroup: rg-ids
        serviceAccounts: [app/web]`;

const withName = (scope: string, name: string) =>
  singleIdentityPolicy(`${scope}\n        name: ${JSON.stringify(name)}`);

const VALID = singleIdentityPolicy(`${CLUSTER}\n        name: id-{cluster}`);

describe("parsePolicy", () => {
  it("fills in the defaults", () => {
    const { document, source } = parsePolicy(VALID, "inline");

    expect(source).toBe("inline");
    expect(document.defaults).toEqual({
      optOutTag: { key: "arc-wi", value: "disabled" },
      unsupportedCredentialRegions: ["malaysiasouth", "newzealandnorth"],
    });
    expect(document.rules[0]!.final).toBe(false);
  });

  it.each([
    [
      "a scope outside the list",
      VALID.replace("scope: cluster", "scope: global"),
      "profiles.app.identities[0].scope",
      /"cluster", "shared" or "existing"/,
    ],
    [
      "an unknown key",
      VALID.replace("scope: cluster", "scope: cluster\n        colour: red"),
      "profiles.app.identities[0].colour",
      /unknown key "colour"/,
    ],
    [
      "an unknown key, listing the allowed ones",
      VALID.replace("scope: cluster", "scope: cluster\n        serviceAccount: a/b"),
      "profiles.app.identities[0].serviceAccount",
      /keys allowed here: id, description, scope, name, resourceGroup, subscription, location/,
    ],
    [
      "an empty identities key",
      VALID.replace(/identities:[\s\S]*?rules:/, "identities:\nrules:"),
      "profiles.app.identities",
      /must be a list, not empty \(null\)/,
    ],
    [
      "a missing match",
      VALID.replace('match: { tags: { onboard: "yes" } }', "name: x"),
      "rules[0].match",
      /is required \(a mapping/,
    ],
    [
      "21 service accounts on one identity",
      VALID.replace(
        "[app/web]",
        `[${Array.from({ length: 21 }, (_, i) => `app/sa${i}`).join(", ")}]`,
      ),
      "profiles.app.identities[0].serviceAccounts",
      /need 21 credentials on this identity, more than the 20/,
    ],
    [
      "an existing identity whose name has 129 characters",
      singleIdentityPolicy(
        `        scope: existing\n        location: westeurope\n        resourceId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${"i".repeat(129)}\n        serviceAccounts: [a/b]`,
      ),
      "profiles.app.identities[0].resourceId",
      /its identity name must be 3-128 characters long \(it has 129\)/,
    ],
    [
      "an audience",
      `audience: api://other\n${VALID}`,
      "audience",
      /always "api:\/\/AzureADTokenExchange"/,
    ],
    [
      "an identity audience",
      VALID.replace("scope: cluster", "scope: cluster\n        audiences: [x]"),
      "profiles.app.identities[0].audiences",
      /cannot be configured/,
    ],
    [
      "an issuer",
      VALID.replace("scope: cluster", "scope: cluster\n        issuer: https://x"),
      "profiles.app.identities[0].issuer",
      /comes from the cluster/,
    ],
    [
      "an unknown placeholder",
      withName(CLUSTER, "id-{clsuter}"),
      "profiles.app.identities[0].name",
      /unknown placeholder \{clsuter\}/,
    ],
    [
      "an empty tag placeholder",
      withName(CLUSTER, "id-{tag:}"),
      "profiles.app.identities[0].name",
      /needs a tag key/,
    ],
    [
      "a stray brace",
      withName(CLUSTER, "id-{cluster"),
      "profiles.app.identities[0].name",
      /stray "\{"/,
    ],
    [
      "a space in the name",
      withName(CLUSTER, "id {cluster}"),
      "profiles.app.identities[0].name",
      /only letters, digits/,
    ],
    [
      "a static name of 2 characters",
      withName(SHARED, "id"),
      "profiles.app.identities[0].name",
      /3-128 characters/,
    ],
    [
      "a static name of 129 characters",
      withName(SHARED, "a".repeat(129)),
      "profiles.app.identities[0].name",
      /3-128 characters long \(it has 129\)/,
    ],
    [
      "a shared base name of 125 characters",
      withName(SHARED, "a".repeat(125)),
      "profiles.app.identities[0].name",
      /at most 124 characters.*shard suffix/,
    ],
    [
      "a static name starting with -",
      withName(SHARED, "-id-payments"),
      "profiles.app.identities[0].name",
      /start with a letter or digit/,
    ],
    [
      "a shared name using {cluster}",
      withName(SHARED, "id-{cluster}"),
      "profiles.app.identities[0].name",
      /cannot depend on \{cluster\}/,
    ],
    [
      "a cluster name without placeholder",
      withName(CLUSTER, "id-payments"),
      "profiles.app.identities[0].name",
      /one identity for every cluster/,
    ],
    [
      "a tag in the resource group",
      VALID.replace("rg-ids", "rg-{tag:team}"),
      "profiles.app.identities[0].resourceGroup",
      /a tag cannot choose the resource group/,
    ],
    [
      "a resource group ending in a period",
      VALID.replace("rg-ids", "rg-ids."),
      "profiles.app.identities[0].resourceGroup",
      /must not end with "."/,
    ],
    [
      "a resource group of 91 characters",
      VALID.replace("rg-ids", "r".repeat(91)),
      "profiles.app.identities[0].resourceGroup",
      /1-90 characters/,
    ],
    [
      "a subscription that is not a GUID",
      VALID.replace("scope: cluster", "scope: cluster\n        subscription: prod"),
      "profiles.app.identities[0].subscription",
      /GUID/,
    ],
    [
      "an upper-case namespace",
      VALID.replace("app/web", "App/web"),
      "profiles.app.identities[0].serviceAccounts[0]",
      /namespace "App".*DNS-1123/,
    ],
    [
      "a service account without namespace",
      VALID.replace("app/web", "web"),
      "profiles.app.identities[0].serviceAccounts[0]",
      /exactly one "\/"/,
    ],
    [
      "a 64-character service account",
      VALID.replace("app/web", `app/${"s".repeat(64)}`),
      "profiles.app.identities[0].serviceAccounts[0]",
      /1-63 characters long \(it has 64\)/,
    ],
    [
      "a duplicate service account",
      VALID.replace("[app/web]", "[app/web, app/web]"),
      "profiles.app.identities[0].serviceAccounts[1]",
      /listed twice/,
    ],
    [
      "maxCredentialsPerShard 21",
      withName(SHARED, "id-x").replace(
        "scope: shared",
        "scope: shared\n        maxCredentialsPerShard: 21",
      ),
      "profiles.app.identities[0].maxCredentialsPerShard",
      /at most 20/,
    ],
    [
      "maxCredentialsPerShard 0",
      withName(SHARED, "id-x").replace(
        "scope: shared",
        "scope: shared\n        maxCredentialsPerShard: 0",
      ),
      "profiles.app.identities[0].maxCredentialsPerShard",
      /at least 1/,
    ],
    [
      "maxCredentialsPerShard on a cluster identity",
      VALID.replace("scope: cluster", "scope: cluster\n        maxCredentialsPerShard: 5"),
      "profiles.app.identities[0].maxCredentialsPerShard",
      /only for scope shared/,
    ],
    [
      "onRemove on a shared identity",
      withName(SHARED, "id-x").replace("scope: shared", "scope: shared\n        onRemove: delete"),
      "profiles.app.identities[0].onRemove",
      /only for scope cluster/,
    ],
    [
      "an unknown onRemove",
      VALID.replace("scope: cluster", "scope: cluster\n        onRemove: purge"),
      "profiles.app.identities[0].onRemove",
      /"delete" or "keep"/,
    ],
    [
      "a cluster identity without resourceGroup",
      withName("        scope: cluster\n        serviceAccounts: [a/b]", "id-{cluster}"),
      "profiles.app.identities[0].resourceGroup",
      /needs resourceGroup/,
    ],
    [
      "an existing identity without resourceId",
      singleIdentityPolicy(
        "        scope: existing\n        location: westeurope\n        serviceAccounts: [a/b]",
      ),
      "profiles.app.identities[0].resourceId",
      /needs resourceId/,
    ],
    [
      "an existing identity with a bad resourceId",
      singleIdentityPolicy(
        "        scope: existing\n        location: westeurope\n        resourceId: /subscriptions/x/id\n        serviceAccounts: [a/b]",
      ),
      "profiles.app.identities[0].resourceId",
      /userAssignedIdentity resource id/,
    ],
    [
      "an unsupported static location",
      VALID.replace("scope: cluster", "scope: cluster\n        location: malaysiasouth"),
      "profiles.app.identities[0].location",
      /unsupportedCredentialRegions/,
    ],
    [
      "a location not in normalized form",
      VALID.replace("scope: cluster", 'scope: cluster\n        location: "West Europe"'),
      "profiles.app.identities[0].location",
      /only lower-case letters and digits/,
    ],
    [
      "a fallback region that is unsupported",
      `defaults: { fallbackRegion: newzealandnorth }\n${VALID}`,
      "defaults.fallbackRegion",
      /itself listed/,
    ],
    [
      "a rule naming a missing profile",
      VALID.replace("profiles: [app]", "profiles: [app, payments]"),
      "rules[0].profiles[1]",
      /no profile named "payments"; defined profiles: app/,
    ],
    [
      "a number as tag value",
      VALID.replace('onboard: "yes"', "store: 0042"),
      "rules[0].match.tags.store",
      /quote values such as "0042"/,
    ],
    [
      "the same tag key twice in a rule",
      VALID.replace('onboard: "yes"', 'onboard: "yes", ONBOARD: "no"'),
      "rules[0].match.tags.ONBOARD",
      /same tag as "onboard"/,
    ],
    [
      "an empty exclude",
      VALID.replace("profiles: [app]", "exclude: {}\n    profiles: [app]"),
      "rules[0].exclude",
      /exclude every cluster/,
    ],
    ["no rules", VALID.replace(/rules:[\s\S]*$/, "rules: []"), "rules", /at least one rule/],
    [
      "an upper-case profile name",
      VALID.replace("  app:", "  App:").replace("[app]", "[App]"),
      "profiles.App",
      /invalid key: must be lower-case/,
    ],
    [
      "a tag-supplied identity that does not exist",
      singleIdentityPolicy(
        `${CLUSTER}\n        name: id-{cluster}`,
        "    serviceAccountsFromTag: { tag: extra, identity: other, allowedNamespaces: [site-*] }",
      ),
      "profiles.app.serviceAccountsFromTag.identity",
      /no identity "other" in profile "app" \(its identities: main\)/,
    ],
    [
      "more service accounts than one identity holds",
      singleIdentityPolicy(
        `${CLUSTER}\n        name: id-{cluster}`,
        "    serviceAccountsFromTag: { tag: extra, identity: main, allowedNamespaces: [site-*], max: 20 }",
      ),
      "profiles.app.identities[0].serviceAccounts",
      /need 21 credentials/,
    ],
    [
      "a reserved Azure tag character",
      VALID.replace("scope: cluster", 'scope: cluster\n        tags: { "a/b": x }'),
      'profiles.app.identities[0].tags["a/b"]',
      /invalid key: tag name "a\/b"/,
    ],
  ])("refuses %s", (_case, text, path, message) => {
    const problems = problemsOf(text);

    expect(problems).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it.each([
    ["at the root", "__proto__: { polluted: true }\n", "__proto__"],
    ["as a tag condition", "", "rules[0].match.tags.__proto__"],
    ["as a profile name", "", "profiles.constructor"],
  ])("refuses a reserved key %s, so no condition silently vanishes", (_case, prefix, path) => {
    const text =
      path === "profiles.constructor"
        ? VALID.replace("  app:", "  constructor:").replace("[app]", "[constructor]")
        : `${prefix}${VALID.replace('onboard: "yes"', path === "__proto__" ? 'onboard: "yes"' : '__proto__: "x"')}`;

    const problems = problemsOf(text);

    expect(problems).toContainEqual({ path, message: expect.stringMatching(/reserved/) });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ["a shared name of 3 characters", withName(SHARED, "id3")],
    ["a shared name of 124 characters", withName(SHARED, "a".repeat(124))],
    ["a cluster name template", withName(CLUSTER, "id-{cluster}_{tag:Store.Code}")],
    [
      "63-character service account names",
      VALID.replace("app/web", `${"n".repeat(63)}/${"s".repeat(63)}`),
    ],
    ["a 90-character resource group", VALID.replace("rg-ids", "r".repeat(90))],
    ["a unicode resource group", VALID.replace("rg-ids", "rg-münchen_(1).x")],
    [
      "maxCredentialsPerShard 1",
      withName(SHARED, "id-x").replace(
        "scope: shared",
        "scope: shared\n        maxCredentialsPerShard: 1",
      ),
    ],
    [
      "maxCredentialsPerShard 20",
      withName(SHARED, "id-x").replace(
        "scope: shared",
        "scope: shared\n        maxCredentialsPerShard: 20",
      ),
    ],
    [
      "20 service accounts on one identity",
      VALID.replace(
        "[app/web]",
        `[${Array.from({ length: 20 }, (_, i) => `app/sa${i}`).join(", ")}]`,
      ),
    ],
    [
      "an existing identity whose name has 128 characters",
      singleIdentityPolicy(
        `        scope: existing\n        location: westeurope\n        resourceId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${"i".repeat(128)}\n        serviceAccounts: [a/b]`,
      ),
    ],
  ])("accepts %s", (_case, text) => {
    expect(() => parsePolicy(text, "inline")).not.toThrow();
  });

  it("lists every problem at once, each with its path", () => {
    const text = `
audience: x
profiles:
  payments:
    identities:
      - id: api
        scope: shared
        name: id-{cluster}
        resourceGroup: rg-ids
        serviceAccounts: [payments/api, Payments/x]
rules:
  - match: { tags: { store: 42 } }
    profiles: [payment]
`;

    const paths = problemsOf(text).map((p) => p.path);

    expect(paths).toEqual([
      "audience",
      "profiles.payments.identities[0].name",
      "profiles.payments.identities[0].serviceAccounts[1]",
      "rules[0].match.tags.store",
      "rules[0].profiles[0]",
    ]);
  });

  it("puts every problem in the error message, with the source", () => {
    expect(() => parsePolicy("profiles: {}\nrules: []\nx: 1\n", "policy.yaml")).toThrow(
      /Policy policy\.yaml is invalid \(2 problems\)[\s\S]*rules: must list at least one rule[\s\S]*x: unknown key/,
    );
  });

  it.each([
    ["broken YAML", "profiles: [\n", /not valid YAML or JSON at line \d+, column \d+/],
    ["broken JSON", '{"profiles": {}, "rules": [}', /not valid YAML or JSON/],
    [
      "a duplicate key",
      "profiles: {}\nprofiles: {}\nrules: []\n",
      /not valid YAML or JSON.*unique/i,
    ],
    ["an empty document", "# nothing yet\n", /the policy is empty/],
    ["a list as the document", "- a\n", /must be a mapping \(key: value\), not a list/],
    [
      "an alias bomb",
      `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`,
      /cannot be expanded|Excessive alias/,
    ],
  ])("refuses %s with a message saying what is wrong", (_case, text, message) => {
    const problems = problemsOf(text);

    expect(problems[0]).toEqual({ path: "(root)", message: expect.stringMatching(message) });
  });

  it("marks the error terminal with a stable code", () => {
    try {
      parsePolicy("x: 1", "inline");
    } catch (error) {
      expect(error).toMatchObject({
        name: "PolicyValidationError",
        code: "PolicyInvalid",
        retryable: false,
      });
    }
    expect.assertions(1);
  });
});

describe("policy version", () => {
  const yaml = `
profiles:
  app:
    identities:
      - { id: main, scope: shared, name: id-app, resourceGroup: rg-ids, serviceAccounts: [app/web] }
rules:
  - match: { tags: { onboard: "yes" } }
    profiles: [app]
`;
  const json = JSON.stringify({
    rules: [{ profiles: ["app"], match: { tags: { onboard: "yes" } } }],
    profiles: {
      app: {
        identities: [
          {
            serviceAccounts: ["app/web"],
            resourceGroup: "rg-ids",
            name: "id-app",
            scope: "shared",
            id: "main",
          },
        ],
      },
    },
  });

  it("is the same for YAML and JSON with the same content", () => {
    expect(parsePolicy(yaml, "a.yaml").version).toBe(parsePolicy(json, "a.json").version);
  });

  it("ignores comments, formatting, $schema and defaults written out", () => {
    const reformatted = `# comment\n$schema: ../policy.schema.json\ndefaults:\n  optOutTag: { key: arc-wi, value: disabled }\n${yaml.replace("rules:", "\n\nrules:")}`;

    expect(parsePolicy(reformatted, "b.yaml").version).toBe(parsePolicy(yaml, "a.yaml").version);
  });

  it("changes when the content changes", () => {
    const changed = yaml.replace("app/web", "app/api");

    expect(parsePolicy(changed, "a.yaml").version).not.toBe(parsePolicy(yaml, "a.yaml").version);
  });

  it("is 16 hex characters", () => {
    expect(parsePolicy(yaml, "a.yaml").version).toMatch(/^[0-9a-f]{16}$/);
  });
});
