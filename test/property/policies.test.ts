import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { parsePolicy, PolicyValidationError } from "../../src/lib/policy/index.js";
import { brokenPolicyArb, validPolicyArb } from "./policyArbitraries.js";
import { PURE_RUNS, runsOf } from "./propertyRuns.js";

/** Parses, and returns the validation error instead of throwing it (any other error escapes). */
function tryParse(text: string): PolicyValidationError | undefined {
  try {
    parsePolicy(text, "inline");
    return undefined;
  } catch (error) {
    if (error instanceof PolicyValidationError) return error;
    throw error;
  }
}

function isRelated(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`) || b.startsWith(a);
}

describe("parsePolicy (property)", () => {
  it("accepts every document of the grammar, with a version that ignores key order", () => {
    fc.assert(
      fc.property(validPolicyArb, (doc) => {
        const policy = parsePolicy(JSON.stringify(doc), "inline");
        const reordered = JSON.stringify(Object.fromEntries(Object.entries(doc).reverse()));

        expect(parsePolicy(reordered, "inline").version).toBe(policy.version);
      }),
      runsOf(PURE_RUNS),
    );
  });

  it("refuses a broken document with problems that each name a path and say what to fix", () => {
    fc.assert(
      fc.property(brokenPolicyArb, ({ doc, kind, path }) => {
        const error = tryParse(JSON.stringify(doc));
        if (error === undefined) return;

        expect(error.code).toBe("PolicyInvalid");
        expect(error.problems.length).toBeGreaterThan(0);
        for (const problem of error.problems) {
          expect(problem.path).not.toBe("");
          expect(problem.message.length).toBeGreaterThan(8);
          expect(error.message).toContain(problem.path);
        }
        if (kind === "replace" || kind === "add")
          expect(error.problems.some((p) => isRelated(p.path, path))).toBe(true);
      }),
      runsOf(PURE_RUNS),
    );
  });

  it("throws nothing but a PolicyValidationError for arbitrary text or data", () => {
    const input = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? ""),
      fc.string({ unit: fc.constantFrom(..."{}[]:- \n&*!|>'\"#%@`".split("")), maxLength: 80 }),
    );
    fc.assert(
      fc.property(input, (text) => {
        const error = tryParse(text);
        if (error)
          expect(error.problems.every((p) => p.path !== "" && p.message !== "")).toBe(true);
      }),
      runsOf(PURE_RUNS),
    );
  });
});
