import { createServer, Agent, type Server } from "node:https";
import type { AddressInfo } from "node:net";

import { AzureKeyCredential } from "@azure/core-auth";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { generateTlsMaterial } from "../../../src/emulator/tls.js";
import {
  createClusterEventPublisher,
  OUTBOUND_EVENT_TYPES,
} from "../../../src/lib/events/clusterEventPublisher.js";
import type { ClusterReport } from "../../../src/lib/reconcile/contract.js";

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

let server: Server;
let endpoint: string;
let caPem: string;
const received: Received[] = [];

beforeAll(async () => {
  const tls = await generateTlsMaterial();
  caPem = tls.cert;
  // A stand-in for an Event Grid topic: records what arrives, answers 200.
  server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    req.on("end", () => {
      received.push({ headers: req.headers, body: JSON.parse(text) as unknown });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}/api/events`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const trustTestCa: PipelinePolicy = {
  name: "trustTestCa",
  sendRequest: (request, next) => {
    request.agent = new Agent({ ca: caPem });
    return next(request);
  },
};

function report(status: ClusterReport["status"]): ClusterReport {
  return {
    clusterId:
      "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/c",
    clusterName: "c",
    status,
    identities: [
      {
        key: "p/mes",
        resourceId: "/id",
        name: "id",
        clientId: "client-1",
        tenantId: "t",
        serviceAccounts: [],
      },
    ],
    actions: [],
    nextSteps: [],
    manifests: "kind: ServiceAccount\n",
    policyVersion: "v1",
    reconcileId: "r1",
    dryRun: false,
    at: "2026-12-03T00:00:00.000Z",
    ...(status === "Failed" ? { error: { code: "Boom", message: "broke" } } : {}),
  };
}

describe("createClusterEventPublisher", () => {
  it("publishes ClusterConverged and ClusterFailed to the topic in the Event Grid schema, and nothing else", async () => {
    const publisher = createClusterEventPublisher(endpoint, new AzureKeyCredential("topic-key"), {
      additionalPolicies: [{ policy: trustTestCa, position: "perCall" }],
    });

    await publisher.publish(report("Converged"));
    await publisher.publish(report("WaitingForIssuer"));
    await publisher.publish(report("Failed"));

    expect(received.map((r) => (r.body as { eventType: string }[])[0]!.eventType)).toEqual([
      OUTBOUND_EVENT_TYPES.Converged,
      OUTBOUND_EVENT_TYPES.Failed,
    ]);
    expect(received[0]!.headers["aeg-sas-key"]).toBe("topic-key");
    expect((received[0]!.body as unknown[])[0]).toMatchObject({
      subject: report("Converged").clusterId,
      dataVersion: "1.0",
      data: {
        status: "Converged",
        identities: [{ clientId: "client-1" }],
        manifests: "kind: ServiceAccount\n",
      },
    });
    expect((received[1]!.body as unknown[])[0]).toMatchObject({
      data: { error: { code: "Boom" } },
    });
  });
});
