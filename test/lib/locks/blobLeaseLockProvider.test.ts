import { describe, expect, it } from "vitest";

import { createContainerClient } from "../../../src/lib/config/storageConnection.js";
import {
  BlobLeaseLockProvider,
  lockBlobName,
} from "../../../src/lib/locks/blobLeaseLockProvider.js";
import { LockTimeoutError } from "../../../src/lib/locks/lockTimeoutError.js";
import { useAzurite } from "../../support/azurite.js";

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe("BlobLeaseLockProvider", () => {
  const azurite = useAzurite();

  function provider(options: ConstructorParameters<typeof BlobLeaseLockProvider>[1] = {}) {
    const container = createContainerClient(
      { connectionString: azurite.connectionString },
      "arc-wi-leases",
    );
    return new BlobLeaseLockProvider(container, {
      random: seeded(7),
      minBackoffMs: 10,
      ...options,
    });
  }

  it("serialises work on one name across providers (as across processes)", async () => {
    const a = provider();
    const b = provider();
    const events: string[] = [];
    const work = (who: string) => async () => {
      events.push(`${who} in`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      events.push(`${who} out`);
      return who;
    };

    const results = await Promise.all([
      a.withLock("identity/payments", work("a")),
      b.withLock("IDENTITY/payments", work("b")),
    ]);

    expect(results.sort()).toEqual(["a", "b"]);
    expect(events[1]).toBe(`${events[0]!.split(" ")[0]} out`);
  });

  it("lets different names run at once", async () => {
    const a = provider();
    let inside = 0;
    let most = 0;
    const work = async () => {
      inside++;
      most = Math.max(most, inside);
      await new Promise((resolve) => setTimeout(resolve, 50));
      inside--;
    };

    await Promise.all([a.withLock("x-1", work), a.withLock("x-2", work)]);

    expect(most).toBe(2);
  });

  it("reports a held lock without waiting, and frees it after the work", async () => {
    const a = provider();
    const b = provider();
    let during: boolean | undefined;

    await a.withLock("cluster/c1", async () => {
      during = (await b.tryWithLock("cluster/c1", () => Promise.resolve(1))).acquired;
    });
    const after = await b.tryWithLock("cluster/c1", () => Promise.resolve(2));

    expect(during).toBe(false);
    expect(after).toEqual({ acquired: true, value: 2 });
  });

  it("renews the lease while the work runs past one lease length", async () => {
    const a = provider({ leaseSeconds: 15 });
    const b = provider();
    let duringLateWork: boolean | undefined;

    await a.withLock("cluster/long", async () => {
      // Past the 15 s lease: without renewal the lock would be free here.
      await new Promise((r) => setTimeout(r, 17_000));
      duringLateWork = (await b.tryWithLock("cluster/long", () => Promise.resolve(1))).acquired;
    });

    expect(duringLateWork).toBe(false);
  }, 40_000);

  it("frees the lock when the work throws", async () => {
    const a = provider();

    await expect(a.withLock("cluster/c2", () => Promise.reject(new Error("boom")))).rejects.toThrow(
      "boom",
    );

    expect(await a.tryWithLock("cluster/c2", () => Promise.resolve(1))).toMatchObject({
      acquired: true,
    });
  });

  it("gives up with LockTimeout while a crashed holder's lease runs, and gets it once it expires", async () => {
    const container = createContainerClient(
      { connectionString: azurite.connectionString },
      "arc-wi-leases",
    );
    await container.createIfNotExists();
    const blob = container.getBlockBlobClient(lockBlobName("cluster/crash"));
    await blob.upload("", 0);
    // A holder that crashed: it took a 15 s lease and will never renew or release it.
    await blob.getBlobLeaseClient().acquireLease(15);

    const error: unknown = await provider({ waitTimeoutMs: 200 })
      .withLock("cluster/crash", () => Promise.resolve(1))
      .catch((e: unknown) => e);
    const later = await provider({ waitTimeoutMs: 30_000, maxBackoffMs: 1_000 }).withLock(
      "cluster/crash",
      () => Promise.resolve("got it"),
    );

    expect(error).toBeInstanceOf(LockTimeoutError);
    expect(error).toMatchObject({ code: "LockTimeout", retryable: true });
    expect(later).toBe("got it");
  });
});
