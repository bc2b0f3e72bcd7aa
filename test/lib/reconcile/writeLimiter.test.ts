import { describe, expect, it } from "vitest";

import { ArmRequestError } from "../../../src/lib/arm/armRequestError.js";
import { KeyedMutex } from "../../../src/lib/reconcile/keyedMutex.js";
import { WriteLimiter } from "../../../src/lib/reconcile/writeLimiter.js";

describe("WriteLimiter", () => {
  it("lets a burst through, then ends a long wait as a Throttled requeue with its delay", async () => {
    const limiter = new WriteLimiter({ burst: 3, refillPerSecond: 0.01, maxWaitMs: 1000 });
    for (let i = 0; i < 3; i++) await limiter.acquire("sub");

    const error = await limiter.acquire("sub").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArmRequestError);
    expect(error).toMatchObject({ code: "Throttled", statusCode: 429 });
    expect((error as ArmRequestError).retryAfterMs).toBeGreaterThan(1000);
  });

  it("keeps one bucket per subscription, compared case-insensitively", async () => {
    const limiter = new WriteLimiter({ burst: 1, refillPerSecond: 0.01, maxWaitMs: 0 });
    await limiter.acquire("SUB-A");
    await limiter.acquire("sub-b");
    await expect(limiter.acquire("sub-a")).rejects.toMatchObject({ code: "Throttled" });
  });
});

describe("WriteLimiter and the identity service", () => {
  it("paces writes on one identity at its own rate, while another identity goes at once", async () => {
    const limiter = new WriteLimiter({
      identityService: { perIdentity: { burst: 1, perSecond: 0.01 } },
      maxWaitMs: 1000,
    });
    await limiter.acquire("sub", "/id/a");
    await expect(limiter.acquire("sub", "/id/a")).rejects.toMatchObject({ code: "Throttled" });
    await expect(limiter.acquire("sub", "/id/b")).resolves.toBeUndefined();
  });

  it("spends the subscription's identity budget across identities, but not on cluster writes", async () => {
    const limiter = new WriteLimiter({
      identityService: { subscription: { burst: 2, perSecond: 0.01 } },
      maxWaitMs: 1000,
    });
    await limiter.acquire("sub", "/id/a");
    await limiter.acquire("sub", "/id/b");
    await expect(limiter.acquire("sub", "/id/c")).rejects.toMatchObject({ code: "Throttled" });
    await expect(limiter.acquire("sub")).resolves.toBeUndefined();
  });

  it("refuses without spending: a refused write leaves the budget as it was", async () => {
    const limiter = new WriteLimiter({
      burst: 1,
      refillPerSecond: 0.01,
      maxWaitMs: 0,
      identityService: false,
    });
    await limiter.acquire("sub", "/id/a");
    await expect(limiter.acquire("sub", "/id/a")).rejects.toMatchObject({ code: "Throttled" });
    const error = (await limiter.acquire("sub").catch((e: unknown) => e)) as ArmRequestError;
    expect(error.retryAfterMs).toBeLessThanOrEqual(100_000);
  });
});

describe("KeyedMutex", () => {
  it("runs work under one name one at a time, and other names alongside", async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    const work = (name: string, tag: string) =>
      mutex.withLock(name, async () => {
        events.push(`start ${tag}`);
        await new Promise((r) => setImmediate(r));
        events.push(`end ${tag}`);
      });

    await Promise.all([work("id-a", "a1"), work("ID-A", "a2"), work("id-b", "b1")]);
    const a = events.filter((e) => e.endsWith("a1") || e.endsWith("a2"));
    expect(a).toEqual(["start a1", "end a1", "start a2", "end a2"]);
    expect(events.indexOf("start b1")).toBeLessThan(events.indexOf("end a1"));
  });

  it("releases the lock when the work throws", async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.withLock("x", () => Promise.reject(new Error("boom")))).rejects.toThrow(
      "boom",
    );
    await expect(mutex.withLock("x", () => Promise.resolve(1))).resolves.toBe(1);
  });
});
