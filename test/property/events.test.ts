import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { parseClusterResourceId } from "../../src/lib/arm/clusterResourceId.js";
import {
  isSelectedCluster,
  parseClusterEvents,
  type ClusterEventOutcome,
} from "../../src/lib/events/parseClusterEvent.js";
import { deliveryArb, eventArb } from "./eventArbitraries.js";
import { PURE_RUNS, runsOf } from "./propertyRuns.js";
import { collectUnhandledRejections } from "./unhandledRejections.js";

const unhandled = collectUnhandledRejections();

/** Words every reason for ignoring an event uses to point at the part at fault. */
const NAMES_A_PART =
  /payload|event|data\.|resource id|subject|operation|deployment|child resource|connectedCluster|scopes|identity/;

function expectedCount(delivery: unknown): number | undefined {
  if (typeof delivery === "string") {
    try {
      const parsed: unknown = JSON.parse(delivery);
      return Array.isArray(parsed) ? parsed.length : 1;
    } catch {
      return 1;
    }
  }
  return Array.isArray(delivery) ? delivery.length : 1;
}

function checkOutcome(outcome: ClusterEventOutcome): void {
  if (isSelectedCluster(outcome)) {
    const parsed = parseClusterResourceId(outcome.clusterId);
    expect(parsed).toMatchObject({ id: outcome.clusterId });
    return;
  }
  expect(outcome.ignored).toMatch(NAMES_A_PART);
}

describe("parseClusterEvents (property)", () => {
  it("never rejects and gives one explained outcome per event, whatever it is handed", async () => {
    await fc.assert(
      fc.asyncProperty(deliveryArb, async (delivery) => {
        const outcomes = await parseClusterEvents(delivery);

        const count = expectedCount(delivery);
        if (count !== undefined) expect(outcomes).toHaveLength(Math.max(count, 0));
        outcomes.forEach(checkOutcome);
      }),
      runsOf(PURE_RUNS),
    );
    expect(unhandled).toEqual([]);
  });

  it("never changes the resource group or cluster name of the id it selects", async () => {
    await fc.assert(
      fc.asyncProperty(eventArb, async (event) => {
        const [outcome] = await parseClusterEvents(event);
        if (!outcome || !isSelectedCluster(outcome)) return;

        const uri = String((event.data as Record<string, unknown>).resourceUri);
        const sent = uri.split("/");
        const kept = outcome.clusterId.split("/");
        expect(kept[4]).toBe(sent[4]);
        expect(kept[8]).toBe(sent[8]);
        expect(kept[2]).toBe(sent[2]!.toLowerCase());
      }),
      runsOf(PURE_RUNS),
    );
  });

  it("gives the same outcomes for the same delivery", async () => {
    await fc.assert(
      fc.asyncProperty(deliveryArb, async (delivery) => {
        const first = await parseClusterEvents(delivery);
        const second = await parseClusterEvents(structuredCloneSafe(delivery));

        expect(second).toEqual(first);
      }),
      runsOf(PURE_RUNS),
    );
  });
});

function structuredCloneSafe(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}
