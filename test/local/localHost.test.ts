import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { NAMES } from "../../src/lib/config/names.js";
import { createQueueClient } from "../../src/lib/config/storageConnection.js";
import { readHostQueueSettings } from "../../src/lib/queue/hostQueueSettings.js";
import { resolveSchedule, startLocalHost, type LocalHost } from "../../src/local/localHost.js";
import { useAzurite } from "../support/azurite.js";
import { seededRandom } from "../support/functionsHarness.js";
import {
  reportFor,
  SCOPE,
  scriptedReconciler,
  testClusterId,
} from "../support/scriptedReconciler.js";

/** host.json as deployed, with failed messages visible again at once (fast retries). */
async function hostJsonWithoutRetryDelay(): Promise<string> {
  const hostJson = JSON.parse(await readFile("host.json", "utf8")) as {
    extensions: { queues: Record<string, unknown> };
  };
  hostJson.extensions.queues.visibilityTimeout = "00:00:00";
  const file = path.join(await mkdtemp(path.join(tmpdir(), "arc-wi-host-")), "host.json");
  await writeFile(file, JSON.stringify(hostJson));
  return file;
}

describe("startLocalHost", () => {
  const azurite = useAzurite();
  let host: LocalHost | undefined;

  afterEach(async () => {
    await host?.stop();
    host = undefined;
  });

  it("retries a failing message maxDequeueCount times, then the poison function marks the cluster Failed", async () => {
    const reconciler = scriptedReconciler(() => {
      throw Object.assign(new Error("engine exploded"), { code: "EngineExploded" });
    });
    const hostJsonPath = await hostJsonWithoutRetryDelay();
    host = await startLocalHost({
      storageConnectionString: azurite.connectionString,
      reconciler,
      allowedScopes: [SCOPE],
      hostJsonPath,
      runAppStart: false,
      random: seededRandom(),
      minPollMs: 10,
    });
    const clusterId = testClusterId("doomed");

    await host.runtime.queue.enqueue({ clusterId, reason: "event", eventId: "e-doomed" });
    await host.waitUntilIdle({ timeoutMs: 30_000 });

    const { maxDequeueCount } = await readHostQueueSettings(hostJsonPath);
    expect(reconciler.requests).toHaveLength(maxDequeueCount);
    expect(await host.runtime.status.getLastReport(clusterId)).toMatchObject({
      status: "Failed",
      error: { code: "EngineExploded", message: expect.stringContaining("engine exploded") },
    });
  });

  it("moves a message the trigger cannot decode to the poison queue without running the worker", async () => {
    const reconciler = scriptedReconciler((r) => ({ report: reportFor(r, "Converged") }));
    host = await startLocalHost({
      storageConnectionString: azurite.connectionString,
      reconciler,
      allowedScopes: [SCOPE],
      runAppStart: false,
      minPollMs: 10,
    });
    // Plain JSON where host.json says base64: the Functions host cannot decode it either.
    const raw = createQueueClient({ connectionString: azurite.connectionString }, NAMES.syncQueue);

    await raw.sendMessage(
      JSON.stringify({ clusterId: testClusterId("raw"), reason: "event", eventId: "e" }),
    );
    await host.waitUntilIdle({ timeoutMs: 30_000 });

    const poisonOfPoison = createQueueClient(
      { connectionString: azurite.connectionString },
      `${NAMES.poisonQueue}-poison`,
    );
    expect(reconciler.requests).toEqual([]);
    expect((await poisonOfPoison.getProperties()).approximateMessagesCount).toBe(1);
  });

  it("re-syncs the fleet once at start when the policy version is new", async () => {
    const fleet = [testClusterId("a"), testClusterId("b"), testClusterId("c")];
    const reconciler = scriptedReconciler((r) => ({ report: reportFor(r, "Converged") }), fleet);
    const options = {
      storageConnectionString: azurite.connectionString,
      reconciler,
      allowedScopes: [SCOPE],
      minPollMs: 10,
    };

    host = await startLocalHost(options);
    await host.waitUntilIdle({ timeoutMs: 30_000 });
    await host.stop();
    host = await startLocalHost(options);
    await host.waitUntilIdle({ timeoutMs: 30_000 });

    expect(reconciler.requests.map((r) => r.reason)).toEqual([
      "policy-change",
      "policy-change",
      "policy-change",
    ]);
  });

  it("fires the drift timer on its registered schedule, read from the setting", async () => {
    const reconciler = scriptedReconciler(
      (r) => ({ report: reportFor(r, "Converged") }),
      [testClusterId("swept")],
    );
    process.env.ARC_WI_DRIFT_SCHEDULE = "* * * * * *";
    try {
      host = await startLocalHost({
        storageConnectionString: azurite.connectionString,
        reconciler,
        allowedScopes: [SCOPE],
        runAppStart: false,
        timers: "schedule",
        minPollMs: 10,
      });

      await expect
        .poll(() => reconciler.requests.some((r) => r.reason === "sweep"), { timeout: 10_000 })
        .toBe(true);
    } finally {
      delete process.env.ARC_WI_DRIFT_SCHEDULE;
    }
  });
});

describe("resolveSchedule", () => {
  it("reads %SETTING% from the environment, else the setting's default", () => {
    expect(resolveSchedule("%ARC_WI_DRIFT_SCHEDULE%", {})).toBe("0 0 */6 * * *");
    expect(
      resolveSchedule("%ARC_WI_DRIFT_SCHEDULE%", { ARC_WI_DRIFT_SCHEDULE: "0 */5 * * * *" }),
    ).toBe("0 */5 * * * *");
  });
});
