import path from "node:path";

import { describe, expect, it } from "vitest";

import { createQueueClient } from "../../../src/lib/config/storageConnection.js";
import { readHostQueueSettings } from "../../../src/lib/queue/hostQueueSettings.js";
import { tryDecodeQueueMessage } from "../../../src/lib/queue/queueMessageCodec.js";
import { parseSyncMessage } from "../../../src/lib/queue/syncMessage.js";
import { SyncQueue } from "../../../src/lib/queue/syncQueue.js";
import { useAzurite } from "../../support/azurite.js";

const CLUSTER =
  "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/c1";

describe("SyncQueue", () => {
  const azurite = useAzurite();

  async function newQueue(name: string) {
    const settings = await readHostQueueSettings(path.resolve("host.json"));
    const client = createQueueClient({ connectionString: azurite.connectionString }, name);
    const queue = new SyncQueue(client, settings);
    await queue.ensureExists();
    return { queue, client, settings };
  }

  it("encodes messages as host.json says, so the trigger can decode them", async () => {
    const { queue, client, settings } = await newQueue("encoding");

    await queue.enqueue({ clusterId: CLUSTER, reason: "event", eventId: "e1" });

    const [item] = (await client.receiveMessages()).receivedMessageItems;
    const text = tryDecodeQueueMessage(item!.messageText, settings.messageEncoding);
    expect(settings.messageEncoding).toBe("base64");
    expect(item!.messageText).not.toContain("clusterId");
    expect(parseSyncMessage(text)).toEqual({ clusterId: CLUSTER, reason: "event", eventId: "e1" });
  });

  it("hides a requeued message until its delay has passed", async () => {
    const { queue, client } = await newQueue("delayed");

    await queue.enqueue({ clusterId: CLUSTER, reason: "requeue", eventId: "e2" }, 60_000);

    const peeked = await client.peekMessages();
    expect(peeked.peekedMessageItems).toHaveLength(0);
    expect((await client.getProperties()).approximateMessagesCount).toBe(1);
  });

  it("paces a fleet: only the first batch is visible at once", async () => {
    const { queue, client } = await newQueue("paced");
    const messages = Array.from({ length: 25 }, (_, i) => ({
      clusterId: `${CLUSTER}${i}`,
      reason: "sweep" as const,
      eventId: "sweep-1",
    }));

    const sent = await queue.enqueueMany(messages, { perSecond: 10 });

    const visible = await client.peekMessages({ numberOfMessages: 32 });
    expect(sent).toBe(25);
    expect(visible.peekedMessageItems).toHaveLength(10);
    expect((await client.getProperties()).approximateMessagesCount).toBe(25);
  });
});
