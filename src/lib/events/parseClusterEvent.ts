import { EventGridDeserializer } from "@azure/eventgrid";

import { isInAllowedScopes } from "../config/allowedScopes.js";
import type { ReconcileReason } from "../reconcile/contract.js";
import { parseClusterScopedId, type ClusterIdTarget } from "../arm/clusterResourceId.js";
import { HANDLED_EVENT_TYPES, HANDLED_OPERATIONS } from "./handledEvents.js";

/** An event that selects a cluster to reconcile: all that is taken from the payload. */
export interface SelectedCluster {
  clusterId: string;
  reason: Extract<ReconcileReason, "event" | "delete-event">;
  eventId: string;
  deleted: boolean;
}

/** An event that selects nothing, and why. `malformed` events are not what Azure sends. */
export interface IgnoredEvent {
  ignored: string;
  malformed: boolean;
  eventId?: string;
}

/** What one event in a delivery comes to. */
export type ClusterEventOutcome = SelectedCluster | IgnoredEvent;

/** Options of {@link parseClusterEvents}. */
export interface ParseClusterEventsOptions {
  /** Object id of the app's own identity: events it caused are ignored. */
  appPrincipalId?: string;
  /** When given, clusters outside these scopes are ignored. */
  allowedScopes?: readonly string[];
}

const OBJECT_ID_CLAIMS = ["http://schemas.microsoft.com/identity/claims/objectidentifier", "oid"];
const NOT_A_CLUSTER = "not a connectedCluster id";
const deserializer = new EventGridDeserializer();

/**
 * Parses an Event Grid delivery — Event Grid schema or CloudEvents 1.0, one event or an array,
 * as JSON text or parsed — into one outcome per event. Trusts nothing but the resource id, and
 * that only after a strict parse; never throws for a bad payload (it is an ignored outcome).
 */
export async function parseClusterEvents(
  payload: unknown,
  options: ParseClusterEventsOptions = {},
): Promise<ClusterEventOutcome[]> {
  const decoded = typeof payload === "string" ? tryParseJson(payload) : payload;
  if (decoded === undefined) return [malformed("payload is not JSON")];

  const events = Array.isArray(decoded) ? decoded : [decoded];
  return Promise.all(events.map((event) => parseOneEvent(event, options)));
}

/** Whether an outcome selects a cluster. */
export function isSelectedCluster(outcome: ClusterEventOutcome): outcome is SelectedCluster {
  return "clusterId" in outcome;
}

/**
 * One request per cluster for a batch of selected events (ids compared ignoring case): the
 * reconcile reads the cluster as it is now, so duplicates add nothing. A delete among them is
 * kept, which is safe: it prunes only if ARM no longer shows the cluster.
 */
export function oneRequestPerCluster(selected: readonly SelectedCluster[]): SelectedCluster[] {
  const byCluster = new Map<string, SelectedCluster>();
  for (const event of selected) {
    const key = event.clusterId.toLowerCase();
    const deleted = event.deleted || byCluster.get(key)?.deleted === true;
    byCluster.set(key, { ...event, deleted, reason: deleted ? "delete-event" : "event" });
  }
  return [...byCluster.values()];
}

interface ArmEventEnvelope {
  id: string;
  type: string;
  subject?: string;
  data: Record<string, unknown>;
}

async function parseOneEvent(
  event: unknown,
  options: ParseClusterEventsOptions,
): Promise<ClusterEventOutcome> {
  const envelope = await tryDeserialize(event);
  if (typeof envelope === "string") return malformed(envelope);

  const { id, type, data } = envelope;
  if (!HANDLED_EVENT_TYPES.some((t) => t.toLowerCase() === type.toLowerCase())) {
    return ignored(id, "event type not handled");
  }
  const resource = readResource(envelope);
  if (typeof resource === "string") return malformed(resource, id);

  const selection = selectCluster(type, resource.operation, resource.target);
  if (selection) return ignored(id, selection);
  if (isCausedBy(data, options.appPrincipalId) && !resource.operation.endsWith("/delete")) {
    return ignored(id, "caused by this app's own identity");
  }
  if (options.allowedScopes && !isInAllowedScopes(resource.clusterId, options.allowedScopes)) {
    return ignored(id, "cluster outside the allowed scopes");
  }

  const deleted = resource.operation.endsWith("connectedclusters/delete");
  return {
    clusterId: resource.clusterId,
    reason: deleted ? "delete-event" : "event",
    eventId: id,
    deleted,
  };
}

async function tryDeserialize(event: unknown): Promise<ArmEventEnvelope | string> {
  if (typeof event !== "object" || event === null || Array.isArray(event)) {
    return "event is not a JSON object";
  }
  // A JSON round trip turns Date values (a trigger may pass them) into the strings the SDK wants.
  const plain = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
  try {
    if ("specversion" in plain) {
      const [cloud] = await deserializer.deserializeCloudEvents(plain);
      return toEnvelope(cloud!.id, cloud!.type, cloud!.subject, cloud!.data);
    }
    const [grid] = await deserializer.deserializeEventGridEvents(plain);
    return toEnvelope(grid!.id, grid!.eventType, grid!.subject, grid!.data);
  } catch (e) {
    // The SDK's deserializer names the field ("event is missing required property 'eventType'").
    const detail = e instanceof Error ? e.message : String(e);
    return `not an Event Grid schema or CloudEvents 1.0 event: ${detail}`;
  }
}

/** Longest event id kept: ARM's are GUIDs; the id travels in queue messages and logs. */
const MAX_EVENT_ID_CHARS = 128;

function toEnvelope(id: string, type: string, subject: unknown, data: unknown) {
  if (id.length > MAX_EVENT_ID_CHARS) {
    return `event id has ${id.length} characters, more than the ${MAX_EVENT_ID_CHARS} accepted (Azure's are GUIDs)`;
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return "event data is not an object";
  }
  const subjectText = typeof subject === "string" ? subject : undefined;
  return { id, type, subject: subjectText, data: data as Record<string, unknown> };
}

function readResource(envelope: ArmEventEnvelope) {
  const { operationName, resourceUri } = envelope.data;
  if (typeof operationName !== "string" || typeof resourceUri !== "string") {
    return "data.operationName or data.resourceUri is missing or not a string";
  }
  if (envelope.subject && envelope.subject.toLowerCase() !== resourceUri.toLowerCase()) {
    return "subject and data.resourceUri name different resources";
  }
  const operation = operationName.toLowerCase();
  if (operation.startsWith("microsoft.resources/deployments/"))
    return { operation, target: "deployment" as const, clusterId: "" };

  const parsed = parseClusterScopedId(resourceUri);
  if ("refused" in parsed && parsed.refused === NOT_A_CLUSTER) {
    return { operation, target: "other" as const, clusterId: "" };
  }
  if ("refused" in parsed) return `resource id refused: ${parsed.refused}`;
  return { operation, target: parsed.target, clusterId: parsed.cluster.id };
}

/** Returns why the event selects no cluster, or undefined when it does. */
function selectCluster(
  type: string,
  operation: string,
  target: ClusterIdTarget | "deployment" | "other",
): string | undefined {
  if (target === "deployment") return "deployment event";
  if (target === "child") return "child resource of a cluster (extension, configuration, ...)";
  if (!HANDLED_OPERATIONS.some((op) => op.toLowerCase() === operation)) {
    return "operation not handled";
  }
  if (target === "other") return "resource is not a connectedCluster";

  const expectedTarget = operation.startsWith("microsoft.resources/tags/") ? "tags" : "cluster";
  if (target !== expectedTarget) return "operation does not match the resource";
  const isDelete = type.toLowerCase().endsWith("resourcedeletesuccess");
  return isDelete === operation.endsWith("/delete")
    ? undefined
    : "event type does not match the operation";
}

function isCausedBy(data: Record<string, unknown>, principalId: string | undefined): boolean {
  if (!principalId) return false;
  const claims = asRecord(data.claims);
  const evidence = asRecord(asRecord(data.authorization).evidence);
  const callers = [...OBJECT_ID_CLAIMS.map((c) => claims[c]), evidence.principalId];
  return callers.some(
    (c) => typeof c === "string" && c.toLowerCase() === principalId.toLowerCase(),
  );
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

function ignored(eventId: string, why: string): IgnoredEvent {
  return { ignored: why, malformed: false, eventId };
}

function malformed(why: string, eventId?: string): IgnoredEvent {
  return eventId === undefined
    ? { ignored: why, malformed: true }
    : { ignored: why, malformed: true, eventId };
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
