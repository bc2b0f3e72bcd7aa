import type { ReconcileReason } from "../reconcile/contract.js";

/** What travels on the cluster-sync queue: a cluster to reconcile, never an instruction. */
export interface SyncMessage {
  clusterId: string;
  reason: ReconcileReason;
  /** Event Grid event id, HTTP operation id or sweep id that caused this message. */
  eventId: string;
  /** The cluster is known deleted (a delete event): prune without reading it. */
  deleted?: boolean;
  /** 404s already seen for this cluster by earlier runs (the "two 404s" rule). */
  notFoundCount?: number;
  /** How many times this cluster was requeued while waiting (drives the backoff). */
  attempt?: number;
  /** When the cluster started waiting (ISO 8601): the wait deadline counts from here. */
  waitingSince?: string;
  /** Fleet-sync operation this message belongs to, for its progress. */
  operationId?: string;
}

const REASONS: readonly ReconcileReason[] = [
  "event",
  "delete-event",
  "http",
  "sweep",
  "requeue",
  "cli",
  "policy-change",
];

/**
 * Checks a decoded queue message (an object, or its JSON text) field by field.
 * @returns the message, or a list of problems naming each bad field.
 */
export function parseSyncMessage(input: unknown): SyncMessage | { problems: string[] } {
  const value = typeof input === "string" ? tryParseJson(input) : input;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { problems: ["message: expected a JSON object"] };
  }

  const record = value as Record<string, unknown>;
  const problems = [
    ...expect(record, "clusterId", (v) => typeof v === "string" && v.startsWith("/subscriptions/")),
    ...expect(record, "reason", (v) => REASONS.includes(v as ReconcileReason)),
    ...expect(record, "eventId", (v) => typeof v === "string" && v.length > 0),
    ...optional(record, "deleted", (v) => typeof v === "boolean"),
    ...optional(record, "notFoundCount", isCount),
    ...optional(record, "attempt", isCount),
    ...optional(record, "waitingSince", (v) => typeof v === "string" && !isNaN(Date.parse(v))),
    ...optional(record, "operationId", (v) => typeof v === "string" && v.length > 0),
  ];
  return problems.length > 0 ? { problems } : (record as unknown as SyncMessage);
}

/** Whether {@link parseSyncMessage} failed. */
export function isInvalidSyncMessage(
  parsed: SyncMessage | { problems: string[] },
): parsed is { problems: string[] } {
  return "problems" in parsed;
}

function isCount(v: unknown): boolean {
  return typeof v === "number" && Number.isInteger(v) && v >= 0;
}

function expect(record: Record<string, unknown>, key: string, ok: (v: unknown) => boolean) {
  return ok(record[key]) ? [] : [`${key}: missing or malformed`];
}

function optional(record: Record<string, unknown>, key: string, ok: (v: unknown) => boolean) {
  return record[key] === undefined || ok(record[key]) ? [] : [`${key}: malformed`];
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
