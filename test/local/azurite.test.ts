import { QueueServiceClient } from "@azure/storage-queue";
import { TableClient } from "@azure/data-tables";
import { BlobServiceClient } from "@azure/storage-blob";
import { describe, expect, it } from "vitest";

import { startAzurite } from "../../src/local/azurite.js";

describe("startAzurite", () => {
  it("serves blobs, queues and tables on random ports and stops cleanly", async () => {
    const azurite = await startAzurite();
    try {
      const { connectionString } = azurite;
      const queue =
        QueueServiceClient.fromConnectionString(connectionString).getQueueClient("queue-one");
      await queue.create();
      await queue.sendMessage("hello");
      const received = await queue.receiveMessages();
      expect(received.receivedMessageItems[0]?.messageText).toBe("hello");

      const table = TableClient.fromConnectionString(connectionString, "tableone", {
        allowInsecureConnection: true,
      });
      await table.createTable();
      await table.createEntity({ partitionKey: "p", rowKey: "r", value: 1 });
      expect((await table.getEntity("p", "r")).value).toBe(1);

      const blobs = BlobServiceClient.fromConnectionString(connectionString);
      await blobs.getContainerClient("container-one").create();
      expect(new Set([azurite.blobPort, azurite.queuePort, azurite.tablePort]).size).toBe(3);
    } finally {
      await azurite.stop();
    }
    await expect(
      QueueServiceClient.fromConnectionString(azurite.connectionString, {
        retryOptions: { maxTries: 1 },
      })
        .getQueueClient("queue-one")
        .exists(),
    ).rejects.toThrow();
  });
});
