import type { ReconcileResult } from "../reconcile/contract.js";
import type { SyncMessage } from "./syncMessage.js";

/** What to do with a cluster after one reconcile. */
export type RequeueDecision =
  | { kind: "done" }
  | { kind: "requeue"; delayMs: number; message: SyncMessage }
  | { kind: "deadline"; waitedMs: number };

/** Options of {@link decideRequeue}. */
export interface RequeueOptions {
  now: Date;
  /** Waiting (or retrying) longer than this ends the cluster as `Failed`. */
  deadlineMs: number;
  /** Jitter source in [0, 1). */
  random: () => number;
  /** Longest delay between two looks. @default 15 minutes */
  maxDelayMs?: number;
}

/**
 * Decides whether and when to look at a cluster again. Throttling requeues after the engine's
 * Retry-After (plus up to a second of jitter) and never counts against the deadline; waiting
 * and retryable failures back off exponentially from the engine's delay, ±20 % jitter, until
 * `deadlineMs` has passed since the cluster started waiting.
 */
export function decideRequeue(
  result: ReconcileResult,
  message: SyncMessage,
  options: RequeueOptions,
): RequeueDecision {
  const after = result.requeueAfterMs;
  if (after === undefined) return { kind: "done" };

  const next: SyncMessage = { ...message, reason: "requeue" };
  if (result.notFoundCount !== undefined) next.notFoundCount = result.notFoundCount;
  if (result.report.status === "Throttled") {
    return { kind: "requeue", delayMs: after + Math.floor(options.random() * 1000), message: next };
  }

  const since = message.waitingSince ?? options.now.toISOString();
  const waitedMs = options.now.getTime() - Date.parse(since);
  if (waitedMs >= options.deadlineMs) return { kind: "deadline", waitedMs };

  const attempt = (message.attempt ?? 0) + 1;
  const grown = after * 1.5 ** (attempt - 1);
  const capped = Math.min(Math.max(after, options.maxDelayMs ?? 15 * 60_000), grown);
  const delayMs = Math.round(capped * (0.8 + 0.4 * options.random()));
  return { kind: "requeue", delayMs, message: { ...next, attempt, waitingSince: since } };
}
