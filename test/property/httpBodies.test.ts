import { HttpRequest, type HttpResponseInit } from "@azure/functions";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { parseClusterResourceId } from "../../src/lib/arm/clusterResourceId.js";
import { readClusterRoute } from "../../src/functions/http/clusterRoute.js";
import { readFleetTarget } from "../../src/functions/http/readFleetTarget.js";
import { readJsonBody } from "../../src/functions/http/readJsonBody.js";
import {
  clusterIdOf,
  clusterNameArb,
  clusterPartsArb,
  hostileClusterIdArb,
  resourceGroupArb,
} from "./idArbitraries.js";
import { PURE_RUNS, runsOf } from "./propertyRuns.js";
import { collectUnhandledRejections } from "./unhandledRejections.js";

const unhandled = collectUnhandledRejections();
const SUB = "0b1f6471-1bf0-4dda-aec3-111122223333";
const ALLOWED = [`/subscriptions/${SUB}`];

/** A problem response names the request field at fault and says what is wrong. */
function expectProblem(response: HttpResponseInit, fields: RegExp): void {
  expect([400, 403, 413]).toContain(response.status);
  const body = response.jsonBody as { field?: string; detail?: string };
  expect(body.field).toMatch(fields);
  expect(body.detail?.length).toBeGreaterThan(10);
}

const bodyTextArb = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? ""),
  fc.string({ maxLength: 100 }),
  fc.constantFrom("", "   ", "{", "null", "[]", `{"a":1}`, "x".repeat(70_000)),
);

const scopeListArb = fc.oneof(
  fc.array(hostileClusterIdArb, { maxLength: 3 }),
  fc.array(
    clusterPartsArb.map((p) => clusterIdOf({ ...p, subscriptionId: SUB })),
    { maxLength: 3 },
  ),
  fc.array(fc.oneof(fc.uuid(), fc.constant(SUB), fc.string({ maxLength: 40 })), { maxLength: 3 }),
  fc.anything({ maxDepth: 1 }),
);

const fleetBodyArb = fc.dictionary(
  fc.oneof(
    { arbitrary: fc.constantFrom("subscriptionIds", "resourceGroups", "clusterIds"), weight: 6 },
    fc.string({ maxLength: 12 }),
  ),
  scopeListArb,
  { maxKeys: 3 },
);

describe("HTTP bodies (property)", () => {
  it("reads any body as a JSON object or refuses it naming the body", async () => {
    await fc.assert(
      fc.asyncProperty(bodyTextArb, async (text) => {
        const request = new HttpRequest({
          method: "POST",
          url: "http://localhost/api/sync",
          body: { string: text },
        });
        const read = await readJsonBody(request);

        if ("response" in read) expectProblem(read.response, /^body$/);
        else expect(typeof read.body).toBe("object");
      }),
      runsOf(PURE_RUNS),
    );
    expect(unhandled).toEqual([]);
  });

  it("turns a fleet body into allowed cluster ids and scopes, or names the field at fault", () => {
    fc.assert(
      fc.property(fleetBodyArb, (body) => {
        const target = readFleetTarget(body, ALLOWED);

        if ("response" in target) {
          const keys = Object.keys(body).map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
          expectProblem(target.response, new RegExp(`^(${keys.join("|")})(\\[\\d+\\])?$`));
          return;
        }
        for (const id of target.clusterIds) {
          expect(parseClusterResourceId(id)).toMatchObject({ id });
          expect(id.toLowerCase().startsWith(ALLOWED[0]!)).toBe(true);
        }
      }),
      runsOf(PURE_RUNS),
    );
  });

  it("keeps route names exactly as sent, or names the route field at fault", () => {
    const params = fc.record({
      subscriptionId: fc.oneof(fc.constant(SUB), fc.uuid(), fc.string({ maxLength: 40 })),
      resourceGroup: fc.oneof(resourceGroupArb, fc.string({ maxLength: 95 })),
      clusterName: fc.oneof(clusterNameArb, fc.string({ unit: "grapheme", maxLength: 70 })),
    });
    fc.assert(
      fc.property(params, (p) => {
        const request = new HttpRequest({ method: "POST", url: "http://localhost/x", params: p });
        const route = readClusterRoute(request, ALLOWED);

        if ("response" in route) {
          expectProblem(route.response, /^(subscriptionId|resourceGroup|clusterName)$/);
          return;
        }
        const parsed = parseClusterResourceId(route.clusterId);
        expect(parsed).toMatchObject({
          resourceGroup: p.resourceGroup,
          clusterName: p.clusterName,
        });
      }),
      runsOf(PURE_RUNS),
    );
  });
});
