import { describe, expect, it } from "vitest";

import { parsePolicy, PolicyValidationError } from "../../../src/lib/policy/index.js";

function problemsOf(text: string) {
  try {
    parsePolicy(text, "inline");
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyValidationError);
    return (error as PolicyValidationError).problems;
  }
  throw new Error("expected the policy to be refused");
}

const policy = (profileKey: string, identity: string) => `
profiles:
  ${JSON.stringify(profileKey)}:
    identities:
      - id: app
        resourceGroup: rg-ids
        serviceAccounts: [apps/web]
${identity}
rules:
  - match: { tags: { onboard: "true" } }
    profiles: [edge]
`;

describe("problems found in one round", () => {
  it("checks inside a profile whose key is invalid, not only the key", () => {
    const problems = problemsOf(
      policy("Edge Sites", "        scope: clusterz\n        name: id-{cluster}"),
    );

    expect(problems).toContainEqual({
      path: 'profiles["Edge Sites"]',
      message: expect.stringMatching(/^invalid key: must be lower-case/),
    });
    expect(problems).toContainEqual({
      path: 'profiles["Edge Sites"].identities[0].scope',
      message: 'must be "cluster", "shared" or "existing"',
    });
  });

  it("refuses at load a name whose fixed text alone is longer than Azure allows", () => {
    const name = `id-{cluster}-${"x".repeat(130)}`;
    const problems = problemsOf(policy("edge", `        scope: cluster\n        name: ${name}`));

    expect(problems).toEqual([
      {
        path: "profiles.edge.identities[0].name",
        message: expect.stringContaining("fixed text alone has 134 characters") as string,
      },
    ]);
  });

  it("accepts a long template whose fixed text fits (the rendered length is checked per cluster)", () => {
    const name = `id-{cluster}-${"x".repeat(110)}`;
    expect(() =>
      parsePolicy(policy("edge", `        scope: cluster\n        name: ${name}`), "inline"),
    ).not.toThrow();
  });
});

describe("the order of problems", () => {
  it("lists paths with numbers in numeric order ([2] before [10])", () => {
    const accounts = Array.from({ length: 12 }, (_, i) => `Bad/Name${i}`).join(", ");
    const problems = problemsOf(
      policy("edge", `        scope: cluster\n        name: id-{cluster}`).replace(
        "serviceAccounts: [apps/web]",
        `serviceAccounts: [${accounts}]`,
      ),
    );
    const indexes = problems
      .map((p) => /serviceAccounts\[(\d+)\]/.exec(p.path)?.[1])
      .filter((i) => i !== undefined)
      .map(Number);
    expect(indexes).toEqual([...new Set(indexes)].sort((a, b) => a - b));
    expect(indexes).toContain(10);
  });
});

describe("YAML errors", () => {
  it("name their position once", () => {
    const [problem] = problemsOf("profiles:\n  a: [\n");
    expect(problem?.message.match(/at line \d+, column \d+/g)).toHaveLength(1);
  });
});
