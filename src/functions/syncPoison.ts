import { app } from "@azure/functions";

import { NAMES } from "../lib/config/names.js";
import { handleSyncPoison } from "./handlers/handleSyncPoison.js";
import { withRuntime } from "./runtime/withRuntime.js";

// The host moves a message here after maxDequeueCount failures of syncWorker.
app.storageQueue(NAMES.functions.poisonWorker, {
  queueName: NAMES.poisonQueue,
  connection: "AzureWebJobsStorage",
  handler: withRuntime(handleSyncPoison),
});
