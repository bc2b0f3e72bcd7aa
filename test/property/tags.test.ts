import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  evaluatePolicy,
  type ClusterFacts,
  type DesiredIdentity,
  type LoadedPolicy,
} from "../../src/lib/policy/index.js";
import { clusterFactsArb, EXAMPLE_POLICIES, lookupTag, renderExpected } from "./policyFixtures.js";
import { PURE_RUNS, runsOf } from "./propertyRuns.js";

/** Every problem message points at what to fix: a tag, a name, a place or a service account. */
const NAMES_WHAT_TO_FIX = /tag|name|region|location|resource group|namespace|service account/i;

function templateOf(policy: LoadedPolicy, identity: DesiredIdentity): string | undefined {
  const [profile, id] = identity.key.split("/");
  const entry = policy.document.profiles[profile!]?.identities.find((i) => i.id === id);
  return entry && "name" in entry && typeof entry.name === "string" ? entry.name : undefined;
}

function identityKeysOf(policy: LoadedPolicy): string[] {
  return Object.entries(policy.document.profiles).flatMap(([profile, p]) =>
    p.identities.map((i) => `${profile}/${i.id}`),
  );
}

describe.each(EXAMPLE_POLICIES)("evaluatePolicy over $file (property)", (example) => {
  const { policy } = example;
  const facts = clusterFactsArb(example);

  it("never throws, is deterministic, and explains every problem", () => {
    const keys = identityKeysOf(policy);
    fc.assert(
      fc.property(facts, (cluster) => {
        const first = evaluatePolicy(policy, cluster);
        const again = evaluatePolicy(policy, structuredClone(cluster));

        expect(again).toEqual(first);
        if (first.kind === "skipped") return void expect(first.reason).not.toBe("");
        for (const problem of first.problems) {
          expect(problem.code).toMatch(/^[A-Z][A-Za-z]+$/);
          expect(keys).toContain(problem.identityKey);
          expect(problem.message).toMatch(NAMES_WHAT_TO_FIX);
        }
      }),
      runsOf(PURE_RUNS),
    );
  });

  it("renders identity names from tag values exactly, or refuses them by name", () => {
    fc.assert(
      fc.property(facts, (cluster) => {
        const evaluation = evaluatePolicy(policy, cluster);
        if (evaluation.kind === "skipped") return;

        for (const identity of evaluation.identities) {
          const template = templateOf(policy, identity);
          if (template === undefined) continue;
          expect(identity.name).toBe(renderExpected(template, cluster));
        }
      }),
      runsOf(PURE_RUNS),
    );
  });

  it("skips a cluster that opts out, whatever the casing of the key", () => {
    fc.assert(
      fc.property(facts, fc.constantFrom("arc-wi", "ARC-WI", "Arc-Wi"), (cluster, key) => {
        const optedOut: ClusterFacts = { ...cluster, tags: { ...cluster.tags, [key]: "disabled" } };

        expect(evaluatePolicy(policy, optedOut).kind).toBe("skipped");
      }),
      runsOf(PURE_RUNS / 2),
    );
  });
});

describe("service accounts from a tag (property)", () => {
  const example = EXAMPLE_POLICIES.find((e) => e.file.startsWith("manufacturing"))!;

  it("federates the tag's entries exactly as written, or none of them", () => {
    fc.assert(
      fc.property(clusterFactsArb(example), (cluster) => {
        const evaluation = evaluatePolicy(example.policy, cluster);
        if (evaluation.kind === "skipped") return;

        const fromTag = evaluation.identities
          .flatMap((i) => i.serviceAccounts)
          .filter((sa) => sa.source === "tag")
          .map((sa) => `${sa.namespace}/${sa.name}`);
        if (fromTag.length === 0) return;
        expect(fromTag.join(",")).toBe(lookupTag(cluster.tags, "wi-extra-serviceaccounts"));
      }),
      runsOf(PURE_RUNS),
    );
  });
});
