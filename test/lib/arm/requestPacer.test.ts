import { describe, expect, it } from "vitest";

import { ArmRequestError } from "../../../src/lib/arm/armRequestError.js";
import {
  AZURE_PACING,
  RequestPacer,
  type Pacing,
  type PacerClock,
} from "../../../src/lib/arm/requestPacer.js";

const ARM = "https://management.azure.com";
const SUB = "/subscriptions/00000000-0000-4000-8000-000000000001";
const RG = `${SUB}/resourceGroups/rg-ids/providers/Microsoft.ManagedIdentity/userAssignedIdentities`;
const cluster = (name: string) =>
  `${ARM}${SUB}/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/${name}?api-version=2026-05-01`;
const identity = (name: string) => `${ARM}${RG}/${name}?api-version=2024-11-30`;
const credentials = (name: string) => `${ARM}${RG}/${name}/federatedIdentityCredentials`;
const credential = (name: string, fic: string) => `${credentials(name)}/${fic}`;

/** Budgets that barely refill: after its burst, a bucket makes the next caller wait ~forever. */
const slow = (burst: number) => ({ burst, perSecond: 0.001 });
const roomy = { burst: 1000, perSecond: 1000 };
const roomyMsi = { reads: roomy, lists: roomy, writes: roomy, deletes: roomy };
const arm = { reads: roomy, writes: roomy, deletes: roomy };

function pacer(limits: {
  arm?: Pacing["arm"];
  identityService?: Partial<Pacing["identityService"]>;
}) {
  const msi = limits.identityService;
  return new RequestPacer({
    limits: {
      arm: limits.arm ?? arm,
      identityService: {
        tenant: roomyMsi,
        subscription: roomyMsi,
        perResource: roomyMsi,
        chargeCredentialWritesToIdentity: true,
        ...msi,
      },
    },
    headroom: 0,
    maxWaitMs: 1000,
  });
}

const refused = (p: Promise<void>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe("RequestPacer", () => {
  it("lets ARM's burst through but its last token, then ends a long wait as a Throttled requeue", async () => {
    // A burst of 4: 3 go at once; the 4th token stays in Azure's bucket for network jitter.
    const p = pacer({ arm: { ...arm, writes: slow(4) } });
    for (let i = 0; i < 3; i++) await p.acquire("PUT", cluster(`c${i}`));

    const error = await refused(p.acquire("PUT", cluster("c3")));
    expect(error).toBeInstanceOf(ArmRequestError);
    expect(error).toMatchObject({ code: "Throttled", statusCode: 429 });
    expect((error as ArmRequestError).retryAfterMs).toBeGreaterThan(1000);
    expect((error as ArmRequestError).message).toContain("connectedClusters/c3");
  });

  it("keeps reads, writes and deletes in separate buckets, one set per subscription", async () => {
    const p = pacer({ arm: { reads: slow(1), writes: slow(1), deletes: slow(1) } });
    await p.acquire("GET", cluster("a"));
    await p.acquire("PUT", cluster("a"));
    await p.acquire("DELETE", cluster("a"));
    await p.acquire("GET", cluster("a").replace(SUB, "/subscriptions/OTHER"));
    await expect(
      p.acquire("get", cluster("b").replace(SUB, SUB.toUpperCase())),
    ).rejects.toMatchObject({
      code: "Throttled",
    });
  });

  it("paces one identity's GETs at its own rate, while another identity goes at once", async () => {
    const p = pacer({ identityService: { perResource: { ...roomyMsi, reads: slow(1) } } });
    await p.acquire("GET", identity("id-a"));
    await expect(p.acquire("GET", identity("id-a"))).rejects.toMatchObject({ code: "Throttled" });
    await expect(p.acquire("GET", identity("id-b"))).resolves.toBeUndefined();
    // A credential list is a list, not a GET: its own bucket.
    await expect(p.acquire("GET", credentials("id-a"))).resolves.toBeUndefined();
  });

  it("counts credential lists and identity lists against the subscription's list budget", async () => {
    const p = pacer({ identityService: { subscription: { ...roomyMsi, lists: slow(3) } } });
    await p.acquire("GET", credentials("id-a"));
    await p.acquire("GET", `${ARM}${RG}?api-version=2024-11-30`);
    await expect(p.acquire("GET", credentials("id-b"))).rejects.toMatchObject({
      code: "Throttled",
    });
    await expect(p.acquire("GET", identity("id-b"))).resolves.toBeUndefined();
  });

  it("charges a credential write to its identity's writes too, unless told not to", async () => {
    const writes = { perResource: { ...roomyMsi, writes: slow(1) } };
    const charged = pacer({ identityService: writes });
    await charged.acquire("PUT", credential("id-a", "fic-1"));
    await expect(charged.acquire("PUT", identity("id-a"))).rejects.toMatchObject({
      code: "Throttled",
    });
    // A credential GET is a read: it does not spend the identity's writes.
    const reads = pacer({ identityService: writes });
    await reads.acquire("GET", credential("id-a", "fic-1"));
    await expect(reads.acquire("PUT", identity("id-a"))).resolves.toBeUndefined();

    const uncharged = pacer({
      identityService: { ...writes, chargeCredentialWritesToIdentity: false },
    });
    await uncharged.acquire("PUT", credential("id-a", "fic-1"));
    await expect(uncharged.acquire("PUT", identity("id-a"))).resolves.toBeUndefined();
  });

  it("spends the identity service's budget on identity writes, not on cluster writes", async () => {
    const p = pacer({ identityService: { subscription: { ...roomyMsi, writes: slow(1) } } });
    await p.acquire("PUT", identity("id-a"));
    await expect(p.acquire("PUT", identity("id-b"))).rejects.toMatchObject({ code: "Throttled" });
    await expect(p.acquire("PUT", cluster("c"))).resolves.toBeUndefined();
  });

  it("refuses without spending: a refused request leaves every budget as it was", async () => {
    const p = pacer({
      arm: { ...arm, writes: slow(3) },
      identityService: { perResource: { ...roomyMsi, writes: slow(1) } },
    });
    await p.acquire("PUT", identity("id-a"));
    await expect(p.acquire("PUT", identity("id-a"))).rejects.toMatchObject({ code: "Throttled" });
    // ARM's bucket lets 2 go at once: the refused PUT took none, so one more still goes.
    await expect(p.acquire("PUT", cluster("c"))).resolves.toBeUndefined();
  });

  it("waits for a token that comes within maxWaitMs, queueing callers in order", async () => {
    const p = new RequestPacer({
      limits: { arm: { ...arm, writes: { burst: 1, perSecond: 50 } }, identityService: false },
      headroom: 0,
    });
    const order: number[] = [];
    const calls = [0, 1, 2].map((i) =>
      p.acquire("PUT", cluster(`c${i}`)).then(() => order.push(i)),
    );
    await calls[0];
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([0]); // the others wait for refills (20 ms each at 50/s)
    await Promise.all(calls);
    expect(order).toEqual([0, 1, 2]);
  });

  it("leaves tenant-level requests unpaced and refuses a headroom outside [0, 1)", async () => {
    const p = pacer({ arm: { reads: slow(1), writes: slow(1), deletes: slow(1) } });
    for (let i = 0; i < 3; i++)
      await expect(
        p.acquire("GET", `${ARM}/providers/Microsoft.Kubernetes/operations`),
      ).resolves.toBeUndefined();
    expect(() => new RequestPacer({ headroom: 1 })).toThrow(/headroom/);
    expect(AZURE_PACING.identityService.perResource.writes).toEqual({ burst: 1, perSecond: 0.25 });
  });

  it.each([
    ["arm.writes", { arm: { ...AZURE_PACING.arm, writes: { burst: 0, perSecond: 10 } } }],
    ["arm.reads", { arm: { ...AZURE_PACING.arm, reads: { burst: Number.NaN, perSecond: 25 } } }],
    [
      "identityService.perResource.lists",
      {
        identityService: {
          ...AZURE_PACING.identityService,
          perResource: {
            ...AZURE_PACING.identityService.perResource,
            lists: { burst: 1, perSecond: 0 },
          },
        },
      },
    ],
  ])("refuses a %s bucket that could never hand out a token", (name, limits) => {
    expect(() => new RequestPacer({ limits })).toThrow(
      new RegExp(`pacing ${name.replace(/\./g, "\\.")} needs a burst of at least 1`),
    );
  });
});

/** A clock the test steps by hand; sleepers wake when it passes their time. */
class SteppedClock implements PacerClock {
  private t = 0;
  private sleepers: { until: number; wake: () => void }[] = [];

  now(): number {
    return this.t;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.sleepers.push({ until: this.t + ms, wake }));
  }

  /** Jumps to `t` (as a stalled event loop does) and wakes every sleeper due by then. */
  async jumpTo(t: number): Promise<void> {
    this.t = t;
    const due = this.sleepers.filter((s) => s.until <= t);
    this.sleepers = this.sleepers.filter((s) => s.until > t);
    for (const s of due) s.wake();
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
  }
}

describe("RequestPacer against a stalled event loop", () => {
  // Azure's bucket holds 3 and refills 10/s; the pacer sends 2 at once (one stays in reserve).
  function stepped() {
    const clock = new SteppedClock();
    const p = new RequestPacer({
      limits: { arm: { ...arm, writes: { burst: 3, perSecond: 10 } }, identityService: false },
      headroom: 0,
      clock,
    });
    const sent: number[] = [];
    const send = (i: number) => p.acquire("PUT", cluster(`c${i}`)).then(() => sent.push(i));
    return { clock, p, sent, send };
  }

  it("never sends more at once than the bucket holds when timers fire late together", async () => {
    const { clock, sent, send } = stepped();
    const calls = [0, 1, 2, 3, 4, 5].map(send);
    await clock.jumpTo(0);
    expect(sent).toEqual([0, 1]); // the burst, less the reserve

    // Every timer was due by 400 ms; the loop wakes them together at 1,000 ms. The bucket
    // refilled to 3 meanwhile: 2 go now (not 4), the next half an interval later, then one per
    // refill.
    await clock.jumpTo(1000);
    expect(sent).toHaveLength(4);
    await clock.jumpTo(1049);
    expect(sent).toHaveLength(4);
    await clock.jumpTo(1050);
    expect(sent).toHaveLength(5);
    await clock.jumpTo(1099);
    expect(sent).toHaveLength(5);
    await clock.jumpTo(1100);
    await Promise.all(calls);
    expect(sent).toHaveLength(6);
  });

  it("empties a request's buckets when Azure answers 429, so the next one waits a refill", async () => {
    const { clock, p, sent, send } = stepped();
    await Promise.all([send(0)]);
    p.throttled("PUT", cluster("c0"));
    const next = send(1);
    await clock.jumpTo(99);
    expect(sent).toEqual([0]);
    await clock.jumpTo(100);
    await next;
    expect(sent).toEqual([0, 1]);
  });
});
