import { app } from "@azure/functions";

import { handleAppStart } from "./handlers/handleAppStart.js";
import { createConsoleLogger } from "./runtime/consoleLogger.js";

// Validates settings and policy once per instance, and re-syncs the fleet on a new policy.
app.hook.appStart(async () => {
  await handleAppStart(createConsoleLogger({ function: "appStart" }));
});
