/** Generators of Event Grid deliveries: both schemas, hostile ids, missing and mistyped fields. */
import fc from "fast-check";

import { HANDLED_EVENT_TYPES, HANDLED_OPERATIONS } from "../../src/lib/events/handledEvents.js";
import { hostileClusterIdArb } from "./idArbitraries.js";

const eventTypeArb = fc.oneof(
  { arbitrary: fc.constantFrom(...HANDLED_EVENT_TYPES), weight: 6 },
  fc.constantFrom(
    "Microsoft.Resources.ResourceActionSuccess",
    "microsoft.resources.resourcewritesuccess",
    "Microsoft.Resources.ResourceWriteFailure",
  ),
  fc.string({ maxLength: 20 }),
);

const operationArb = fc.oneof(
  { arbitrary: fc.constantFrom(...HANDLED_OPERATIONS), weight: 6 },
  fc.constantFrom(
    "microsoft.kubernetes/connectedclusters/WRITE",
    "Microsoft.KubernetesConfiguration/extensions/write",
    "Microsoft.Resources/deployments/write",
    "Microsoft.Kubernetes/connectedClusters/listClusterUserCredential/action",
  ),
  fc.string({ maxLength: 30 }),
);

/** A value of the wrong type for any field. */
const wrongTypeArb = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
);

interface EventParts {
  id: string;
  type: string;
  operationName: string;
  resourceUri: string;
  subjectMatches: boolean;
  principalId: string;
}

const partsArb: fc.Arbitrary<EventParts> = fc.record({
  id: fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 40 })),
  type: eventTypeArb,
  operationName: operationArb,
  resourceUri: hostileClusterIdArb,
  subjectMatches: fc.oneof(
    { arbitrary: fc.constant(true), weight: 5 },
    { arbitrary: fc.constant(false), weight: 1 },
  ),
  principalId: fc.uuid(),
});

function dataOf(parts: EventParts): Record<string, unknown> {
  return {
    operationName: parts.operationName,
    resourceUri: parts.resourceUri,
    status: "Succeeded",
    authorization: { evidence: { principalId: parts.principalId } },
    claims: { oid: parts.principalId },
  };
}

function subjectOf(parts: EventParts): string {
  return parts.subjectMatches ? parts.resourceUri : `${parts.resourceUri}/other`;
}

const eventGridArb = partsArb.map((parts) => ({
  id: parts.id,
  eventType: parts.type,
  subject: subjectOf(parts),
  eventTime: "2026-12-03T10:00:00Z",
  dataVersion: "2",
  metadataVersion: "1",
  topic: "/subscriptions/x",
  data: dataOf(parts),
}));

const cloudEventArb = partsArb.map((parts) => ({
  specversion: "1.0",
  id: parts.id,
  type: parts.type,
  source: "/subscriptions/x",
  subject: subjectOf(parts),
  time: "2026-12-03T10:00:00Z",
  data: dataOf(parts),
}));

/** `arb` once in `every` cases, `null` otherwise. */
function rarely<T>(arb: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | null> {
  return fc.oneof(
    { arbitrary: arb, weight: 1 },
    { arbitrary: fc.constant(null), weight: every - 1 },
  );
}

/** One event in either schema, sometimes with one field dropped or given a wrong type. */
export const eventArb: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.oneof(eventGridArb, cloudEventArb),
    rarely(
      fc.tuple(
        fc.constantFrom("id", "subject", "data", "eventType", "type", "specversion", "eventTime"),
        fc.option(wrongTypeArb, { nil: undefined }),
      ),
      5,
    ),
    rarely(fc.constantFrom("operationName", "resourceUri"), 8),
    wrongTypeArb,
  )
  .map(([event, spoil, dataField, wrong]) => {
    const copy: Record<string, unknown> = { ...event, data: { ...event.data } };
    if (spoil !== null) {
      const [field, value] = spoil;
      if (value === undefined) delete copy[field];
      else copy[field] = value;
    }
    if (dataField !== null && typeof copy.data === "object" && copy.data !== null)
      (copy.data as Record<string, unknown>)[dataField] = wrong;
    return copy;
  });

/** What a trigger may be handed: an event, an array of them, their JSON text, or junk. */
export const deliveryArb: fc.Arbitrary<unknown> = fc.oneof(
  eventArb,
  fc.array(eventArb, { maxLength: 4 }),
  fc.array(eventArb, { maxLength: 3 }).map((events) => JSON.stringify(events)),
  fc.string({ maxLength: 50 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.anything({ maxDepth: 2 }),
);
