import { afterEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../src/emulator/index.js";
import type { FaultKind } from "../../src/emulator/config.js";
import { RG, clusterClient, clusterUrl, send, startTestEmulator } from "./support.js";

let emulator: RunningEmulator;
afterEach(async () => {
  await emulator.stop();
});

async function withFault(kind: FaultKind, extra: Record<string, unknown> = {}) {
  emulator = await startTestEmulator({ seed: { clusters: [{ resourceGroup: RG, name: "c" }] } });
  emulator.configure({ faults: { rate: 1, kinds: [kind], seed: 7, ...extra } });
  return clusterClient(emulator, "2026-05-01", { maxRetries: 0 });
}

describe("fault injection in the emulator", () => {
  it.each([
    ["500", 500, "InternalServerError"],
    ["503", 503, "ServiceUnavailable"],
    ["429", 429, "TooManyRequests"],
  ] as const)(
    "answers %s faults with ARM's error and marks them in the request log",
    async (kind, status, code) => {
      const client = await withFault(kind);
      const response = await send(client, "GET", clusterUrl(emulator, "c"));
      expect(response.status).toBe(status);
      expect(response.body.error.code).toBe(code);
      expect(emulator.requestLog.at(-1)).toMatchObject({ status, fault: kind });
    },
  );

  it("resets the connection, which the SDK sees as a network error", async () => {
    const client = await withFault("reset");
    await expect(client.connectedClusterOperations.get(RG, "c")).rejects.toMatchObject({
      code: expect.stringMatching(/ECONNRESET|REQUEST_SEND_ERROR/),
    });
    expect(emulator.requestLog.at(-1)).toMatchObject({ status: 0, fault: "reset" });
  });

  it("slows a response down by slowMs of emulator time", async () => {
    const client = await withFault("slow", { slowMs: 400 });
    const started = Date.now();
    expect((await send(client, "GET", clusterUrl(emulator, "c"))).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    const entry = emulator.requestLog.at(-1)!;
    expect(entry.end - entry.start).toBeGreaterThanOrEqual(400);
  });

  it("draws the same faults for the same seed, and the SDK's retries ride them out", async () => {
    const run = async () => {
      const client = await withFault("500", { rate: 0.5, kinds: ["500", "503"] });
      const faults: (string | undefined)[] = [];
      for (let i = 0; i < 12; i++) {
        await send(client, "GET", clusterUrl(emulator, "c"));
        faults.push(emulator.requestLog.at(-1)!.fault);
      }
      const retrying = clusterClient(emulator, "2026-05-01", { maxRetries: 8 });
      expect((await retrying.connectedClusterOperations.get(RG, "c")).name).toBe("c");
      await emulator.stop();
      return faults;
    };
    const first = await run();
    const second = await run();
    expect(first).toEqual(second);
    expect(first.filter((f) => f !== undefined).length).toBeGreaterThan(0);
    emulator = await startTestEmulator();
  });
});
