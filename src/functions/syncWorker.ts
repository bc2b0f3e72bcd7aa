import { app } from "@azure/functions";

import { NAMES } from "../lib/config/names.js";
import { handleSyncMessage } from "./handlers/handleSyncMessage.js";
import { withRuntime } from "./runtime/withRuntime.js";

// Queue trigger; host.json's extensions.queues sets encoding, visibility and dequeue count.
app.storageQueue(NAMES.functions.syncWorker, {
  queueName: NAMES.syncQueue,
  connection: "AzureWebJobsStorage",
  handler: withRuntime(handleSyncMessage),
});
