import { app } from "@azure/functions";

import { NAMES } from "../lib/config/names.js";
import { handleClusterEvent } from "./handlers/handleClusterEvent.js";
import { withRuntime } from "./runtime/withRuntime.js";

// Event Grid trigger on the subscription's system topic (infra/ subscribes it).
app.eventGrid(NAMES.functions.onClusterEvent, { handler: withRuntime(handleClusterEvent) });
