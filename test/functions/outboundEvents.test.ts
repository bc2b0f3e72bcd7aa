import { Agent, createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";

import { AzureKeyCredential } from "@azure/core-auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { generateTlsMaterial } from "../../src/emulator/tls.js";
import { createClusterEventPublisher } from "../../src/lib/events/clusterEventPublisher.js";
import { buildArmEvent } from "../../src/local/armEvents.js";
import { startAzurite, type RunningAzurite } from "../../src/local/azurite.js";
import { startLocalHost, type LocalHost } from "../../src/local/localHost.js";
import { E2E_SUB, emulatorReconciler, seedE2eCluster } from "../support/emulatorFleet.js";
import { seededRandom } from "../support/functionsHarness.js";

let emulator: RunningEmulator;
let azurite: RunningAzurite;
let host: LocalHost;
let topic: Server;
const received: { eventType: string; subject: string; data: { clusterId?: string } }[] = [];

beforeAll(async () => {
  const tls = await generateTlsMaterial();
  // A stand-in for the GitOps pipeline's Event Grid topic: records what arrives.
  topic = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    req.on("end", () => {
      received.push(...(JSON.parse(text) as typeof received));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => topic.listen(0, "127.0.0.1", resolve));
  const endpoint = `https://127.0.0.1:${(topic.address() as AddressInfo).port}/api/events`;
  const agent = new Agent({ ca: tls.cert });
  const publisher = createClusterEventPublisher(endpoint, new AzureKeyCredential("topic-key"), {
    additionalPolicies: [
      {
        position: "perCall",
        policy: { name: "trustTopicCa", sendRequest: (r, next) => ((r.agent = agent), next(r)) },
      },
    ],
  });

  [emulator, azurite] = await Promise.all([
    startEmulator({ profile: "test", log: () => undefined }),
    startAzurite(),
  ]);
  host = await startLocalHost({
    storageConnectionString: azurite.connectionString,
    reconciler: emulatorReconciler(emulator),
    allowedScopes: [`/subscriptions/${E2E_SUB}`],
    publisher,
    random: seededRandom(),
    minPollMs: 20,
  });
});

afterAll(async () => {
  await host?.stop();
  await Promise.all([emulator?.stop(), azurite?.stop()]);
  await new Promise<void>((resolve) => topic.close(() => resolve()));
});

describe("outbound events from the worker", () => {
  it("publishes ClusterConverged once when a cluster converges, and nothing on a no-op re-sync", async () => {
    const clusterId = seedE2eCluster(emulator, "plant-outbound", { role: "plant" });

    await host.deliverEvents([buildArmEvent({ resourceUri: clusterId })]);
    await host.waitUntilIdle({ timeoutMs: 30_000 });
    await host.deliverEvents([buildArmEvent({ resourceUri: clusterId })]);
    await host.waitUntilIdle({ timeoutMs: 30_000 });

    const mine = received.filter(
      (e) => e.data.clusterId?.toLowerCase() === clusterId.toLowerCase(),
    );
    expect(mine.map((e) => e.eventType)).toEqual(["ArcWorkloadIdentity.ClusterConverged"]);
  });
});
