import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { bucketSeconds, computeBudget } from "../../bench/budget.js";
import { resolveConfig, type RequestLogEntry } from "../../src/emulator/index.js";
import { PURE_RUNS, runsOf } from "./propertyRuns.js";

const CONFIG = resolveConfig("realistic");
const SUB = "5e1ec7ed-0000-4000-8000-00000000be0c";
const GROUP = `/subscriptions/${SUB}/resourceGroups/rg`;

function entry(path: string, method: string, status: number): RequestLogEntry {
  const kind = method === "GET" ? "read" : method === "DELETE" ? "delete" : "write";
  return { method, path, status, start: 0, end: 0, kind, resourceType: "x", requestId: "r" };
}

const entryArb = fc
  .record({
    identity: fc.integer({ min: 0, max: 4 }),
    credential: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    cluster: fc.boolean(),
    method: fc.constantFrom("PUT", "PUT", "DELETE", "GET"),
    status: fc.constantFrom(200, 201, 202, 429, 500),
  })
  .map((e) => {
    const identity = `${GROUP}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-${e.identity}`;
    const path = e.cluster
      ? `${GROUP}/providers/Microsoft.Kubernetes/connectedClusters/c-${e.identity}`
      : e.credential === undefined
        ? identity
        : `${identity}/federatedIdentityCredentials/fic-${e.credential}`;
    return entry(path, e.method, e.status);
  });

describe("the bench's budget (property)", () => {
  it("never shrinks when an accepted write is added, and ignores reads and refused requests", () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 60 }), entryArb, (log, extra) => {
        const before = computeBudget(log, CONFIG).budgetSeconds;
        const after = computeBudget([...log, extra], CONFIG).budgetSeconds;

        expect(before).toBeGreaterThanOrEqual(0);
        if (extra.kind === "read" || extra.status >= 300) expect(after).toBe(before);
        else expect(after).toBeGreaterThanOrEqual(before);
      }),
      runsOf(PURE_RUNS),
    );
  });

  it("is at least the identity service's subscription bucket for the writes it was given", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), (n) => {
        const log = Array.from({ length: n }, (_, i) =>
          entry(
            `${GROUP}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-${i}`,
            "PUT",
            201,
          ),
        );
        const perSubscription = bucketSeconds(n, CONFIG.throttling.msi.subscription.writes);

        expect(computeBudget(log, CONFIG).budgetSeconds).toBeGreaterThanOrEqual(perSubscription);
      }),
      runsOf(PURE_RUNS / 4),
    );
  });
});
