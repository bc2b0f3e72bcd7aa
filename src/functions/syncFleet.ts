import { app } from "@azure/functions";

import { handleSyncFleet } from "./http/handleSyncFleet.js";
import { HTTP_ROUTES } from "./http/httpRoutes.js";
import { withRuntime } from "./runtime/withRuntime.js";

// v4 defaults to anonymous: the function key is required explicitly (the host enforces it).
app.http("syncFleet", {
  route: HTTP_ROUTES.syncFleet.route,
  methods: [HTTP_ROUTES.syncFleet.method],
  authLevel: "function",
  handler: withRuntime(handleSyncFleet),
});
