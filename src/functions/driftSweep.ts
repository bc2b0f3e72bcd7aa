import { app } from "@azure/functions";

import { NAMES } from "../lib/config/names.js";
import { handleDriftSweep } from "./handlers/handleDriftSweep.js";
import { withRuntime } from "./runtime/withRuntime.js";

// The host resolves %ARC_WI_DRIFT_SCHEDULE% from the app settings (default: every 6 hours).
app.timer(NAMES.functions.driftSweep, {
  schedule: "%ARC_WI_DRIFT_SCHEDULE%",
  handler: withRuntime(handleDriftSweep),
});
