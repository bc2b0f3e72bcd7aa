import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { evaluatePolicy, parsePolicy } from "../../../src/lib/policy/index.js";
import { makeCluster } from "./policyTestKit.js";

const example = (file: string) =>
  parsePolicy(
    readFileSync(fileURLToPath(new URL(`../../../examples/${file}`, import.meta.url)), "utf8"),
    file,
  );

const KEYS = ["site-type", "store", "environment", "plant", "wi-extra-serviceaccounts", "arc-wi"];
const IDENTITY_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** A key from the policies' vocabulary in random case, or any string. */
const tagKey = fc.oneof(
  fc
    .constantFrom(...KEYS)
    .chain((key) =>
      fc
        .array(fc.boolean(), { minLength: key.length, maxLength: key.length })
        .map((upper) => Array.from(key, (c, i) => (upper[i] ? c.toUpperCase() : c)).join("")),
    ),
  fc.string({ maxLength: 20 }),
);

/** Tag values: plausible ones, hostile separators, unicode, up to 256 characters. */
const tagValue = fc.oneof(
  fc.constantFrom("store", "prod", "staging", "0042", "site-tools/x", "kube-system/x", ""),
  fc.stringMatching(/^[a-z0-9,;=/ -]{0,40}$/),
  fc.string({ unit: "grapheme", maxLength: 256 }),
);

/** Tags that select the examples' profiles, overridden and extended by random ones. */
const SELECTING = { "site-type": "store", environment: "prod", store: "0042", plant: "P1" };
const tags = fc
  .dictionary(tagKey, tagValue, { maxKeys: 8 })
  .map((random) => ({ ...SELECTING, ...random }));

describe("evaluatePolicy on any tags (seeded property test)", () => {
  it.each(["retail-stores.policy.yaml", "manufacturing-plants.policy.yaml"])(
    "never throws and only yields names and service accounts Azure and Kubernetes accept (%s)",
    (file) => {
      const policy = example(file);
      const groups = new Set(["rg-store-identities", "rg-plant-identities"]);
      let selectedWithIdentities = 0;

      fc.assert(
        fc.property(
          tags,
          fc.constantFrom("rg-stores-east", "rg-plant-x", "RG-Stores-West", "rg-lab"),
          (t, rg) => {
            const result = evaluatePolicy(policy, makeCluster({ resourceGroup: rg, tags: t }));
            if (result.kind === "skipped") {
              return;
            }
            selectedWithIdentities += result.identities.length > 0 ? 1 : 0;

            for (const identity of result.identities) {
              expect(identity.name).toMatch(IDENTITY_NAME);
              expect(identity.name.length).toBeLessThanOrEqual(
                identity.scope === "shared" ? 124 : 128,
              );
              expect(groups.has(identity.resourceGroup)).toBe(true);
              for (const account of identity.serviceAccounts) {
                expect(account.namespace).toMatch(DNS_LABEL);
                expect(account.name).toMatch(DNS_LABEL);
                if (account.source === "tag") {
                  expect(account.namespace.startsWith("site-")).toBe(true);
                }
              }
            }
            for (const problem of result.problems) {
              expect(problem.message.length).toBeLessThan(800);
            }
          },
        ),
        { seed: 20261203, numRuns: 400 },
      );
      expect(selectedWithIdentities).toBeGreaterThan(50);
    },
  );
});
