import { describe, expect, it } from "vitest";

import { decideRequeue } from "../../../src/lib/queue/decideRequeue.js";
import type { ClusterStatus, ReconcileResult } from "../../../src/lib/reconcile/contract.js";

const NOW = new Date("2026-12-03T12:00:00.000Z");
const message = { clusterId: "/subscriptions/x", reason: "event" as const, eventId: "e" };

function result(
  status: ClusterStatus,
  requeueAfterMs?: number,
  notFoundCount?: number,
): ReconcileResult {
  const report = { status } as ReconcileResult["report"];
  return {
    report,
    ...(requeueAfterMs === undefined ? {} : { requeueAfterMs }),
    ...(notFoundCount ? { notFoundCount } : {}),
  };
}

const options = { now: NOW, deadlineMs: 60 * 60_000, random: () => 0.5 };

describe("decideRequeue", () => {
  it("is done when the engine asks for nothing", () => {
    expect(decideRequeue(result("Converged"), message, options)).toEqual({ kind: "done" });
  });

  it.each([
    [0, 30_000],
    [1, 45_000],
    [2, 67_500],
    [20, 15 * 60_000],
  ])(
    "backs off from the engine's delay (attempt %i → %i ms at the jitter's middle)",
    (attempt, delayMs) => {
      const decision = decideRequeue(
        result("WaitingForIssuer", 30_000),
        { ...message, attempt },
        options,
      );

      expect(decision).toMatchObject({
        kind: "requeue",
        delayMs,
        message: { reason: "requeue", attempt: attempt + 1 },
      });
    },
  );

  it("jitters by ±20 %", () => {
    const low = decideRequeue(result("WaitingForCluster", 10_000), message, {
      ...options,
      random: () => 0,
    });
    const high = decideRequeue(result("WaitingForCluster", 10_000), message, {
      ...options,
      random: () => 0.999999,
    });

    expect(low).toMatchObject({ delayMs: 8_000 });
    expect(high).toMatchObject({ delayMs: 12_000 });
  });

  it("starts the wait clock on the first requeue and keeps it", () => {
    const first = decideRequeue(result("WaitingForIssuer", 1000), message, options);

    expect(first).toMatchObject({ message: { waitingSince: NOW.toISOString() } });
  });

  it("stops at the deadline", () => {
    const since = new Date(NOW.getTime() - 61 * 60_000).toISOString();

    expect(
      decideRequeue(result("WaitingForIssuer", 1000), { ...message, waitingSince: since }, options),
    ).toEqual({ kind: "deadline", waitedMs: 61 * 60_000 });
  });

  it("requeues a throttled cluster after Retry-After, past any deadline, with the wait clock untouched", () => {
    const since = new Date(NOW.getTime() - 10 * 60 * 60_000).toISOString();

    const decision = decideRequeue(
      result("Throttled", 20_000),
      { ...message, waitingSince: since },
      options,
    );

    expect(decision).toEqual({
      kind: "requeue",
      delayMs: 20_500,
      message: { ...message, reason: "requeue", waitingSince: since },
    });
  });

  it("carries the engine's 404 count into the next message", () => {
    expect(decideRequeue(result("WaitingForCluster", 3000, 1), message, options)).toMatchObject({
      message: { notFoundCount: 1 },
    });
  });
});
