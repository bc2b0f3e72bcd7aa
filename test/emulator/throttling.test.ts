import { afterEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../src/emulator/index.js";
import {
  RG,
  clusterClient,
  clusterUrl,
  credentialBody,
  expectArmError,
  msiClient,
  send,
  startTestEmulator,
} from "./support.js";

let emulator: RunningEmulator;
afterEach(async () => {
  await emulator.stop();
});

const tight = { burst: 3, refillPerSec: 1 };

describe("throttling in the emulator", () => {
  it("throttles ARM reads per subscription with 429, Retry-After in seconds and remaining-reads headers, refilling on the clock", async () => {
    emulator = await startTestEmulator({ seed: { clusters: [{ resourceGroup: RG, name: "c" }] } });
    emulator.configure({ throttling: { enabled: true, reads: tight, retryAfterStyle: "seconds" } });
    const client = clusterClient(emulator, "2026-05-01", { maxRetries: 0 });
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++)
      remaining.push(
        (await send(client, "GET", clusterUrl(emulator, "c"))).headers.get(
          "x-ms-ratelimit-remaining-subscription-reads",
        )!,
      );
    expect(remaining).toEqual(["2", "1", "0"]);

    const refused = await send(client, "GET", clusterUrl(emulator, "c"));
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("SubscriptionRequestsThrottled");
    expect(refused.headers.get("retry-after")).toBe("1");
    const write = await send(
      client,
      "PUT",
      clusterUrl(emulator, "c"),
      (await send(client, "GET", clusterUrl(emulator, "c"))).body,
    );
    expect(write.headers.get("x-ms-ratelimit-remaining-subscription-writes")).toBe("199");

    emulator.advanceClock(1_000);
    expect((await send(client, "GET", clusterUrl(emulator, "c"))).status).toBe(200);
  });

  it("answers with retry-after-ms in the ms style, which the SDK's own retry honours", async () => {
    emulator = await startTestEmulator({ seed: { clusters: [{ resourceGroup: RG, name: "c" }] } });
    emulator.configure({
      throttling: { enabled: true, reads: { burst: 1, refillPerSec: 20 }, retryAfterStyle: "ms" },
    });
    const client = clusterClient(emulator);
    await client.connectedClusterOperations.get(RG, "c");
    const cluster = await client.connectedClusterOperations.get(RG, "c");
    expect(cluster.name).toBe("c");
    const statuses = emulator.requestLog.map((e) => e.status);
    expect(statuses).toContain(429);
    expect(statuses.at(-1)).toBe(200);

    const raw = clusterClient(emulator, "2026-05-01", { maxRetries: 0 });
    await send(raw, "GET", clusterUrl(emulator, "c"));
    const refused = await send(raw, "GET", clusterUrl(emulator, "c"));
    expect(refused.headers.get("retry-after-ms")).toMatch(/^\d+$/);
  });

  it("applies the identity service's per-resource write limit (0.25/s by default)", async () => {
    emulator = await startTestEmulator();
    emulator.configure({ throttling: { enabled: true } });
    const client = msiClient(emulator, { maxRetries: 0 });
    await client.userAssignedIdentities.createOrUpdate(RG, "id-hot", { location: "eastus" });
    const error = await expectArmError(
      client.userAssignedIdentities.createOrUpdate(RG, "id-hot", { location: "eastus" }),
      429,
      "TooManyRequests",
    );
    expect(error.message).toContain("resource scope");
    await client.userAssignedIdentities.createOrUpdate(RG, "id-cool", { location: "eastus" });
    emulator.advanceClock(4_000);
    await client.userAssignedIdentities.createOrUpdate(RG, "id-hot", { location: "eastus" });
  });

  it("counts credential writes against their identity only while the switch is on", async () => {
    emulator = await startTestEmulator();
    const limits = {
      subscription: { writes: { burst: 100, refillPerSec: 100 } },
      tenant: { writes: { burst: 100, refillPerSec: 100 } },
    };
    emulator.configure({
      throttling: { enabled: true, msi: { ...limits, countCredentialWritesAgainstIdentity: true } },
    });
    const client = msiClient(emulator, { maxRetries: 0 });
    await client.userAssignedIdentities.createOrUpdate(RG, "id-a", { location: "eastus" });
    emulator.advanceClock(4_000);
    await client.federatedIdentityCredentials.createOrUpdate(
      RG,
      "id-a",
      "fic-1",
      credentialBody("https://i.example/", "system:serviceaccount:a:b"),
    );
    await expectArmError(
      client.federatedIdentityCredentials.createOrUpdate(
        RG,
        "id-a",
        "fic-2",
        credentialBody("https://i.example/", "system:serviceaccount:a:c"),
      ),
      429,
      "TooManyRequests",
    );

    emulator.configure({ throttling: { msi: { countCredentialWritesAgainstIdentity: false } } });
    await client.federatedIdentityCredentials.createOrUpdate(
      RG,
      "id-a",
      "fic-2",
      credentialBody("https://i.example/", "system:serviceaccount:a:c"),
    );
    await client.federatedIdentityCredentials.createOrUpdate(
      RG,
      "id-a",
      "fic-3",
      credentialBody("https://i.example/", "system:serviceaccount:a:d"),
    );
  });

  it("keeps deletes in their own bucket", async () => {
    emulator = await startTestEmulator({
      seed: { clusters: ["a", "b"].map((name) => ({ resourceGroup: RG, name })) },
    });
    emulator.configure({
      throttling: { enabled: true, deletes: { burst: 1, refillPerSec: 0.1 } },
      lro: { delete: "sync" },
    });
    const client = clusterClient(emulator, "2026-05-01", { maxRetries: 0 });
    const first = await send(client, "DELETE", clusterUrl(emulator, "a"));
    expect(first.headers.get("x-ms-ratelimit-remaining-subscription-deletes")).toBe("0");
    expect((await send(client, "DELETE", clusterUrl(emulator, "b"))).status).toBe(429);
    expect((await send(client, "GET", clusterUrl(emulator, "b"))).status).toBe(200);
  });
});
