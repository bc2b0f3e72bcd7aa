import { app } from "@azure/functions";

import { handleSyncCluster } from "./http/handleSyncCluster.js";
import { HTTP_ROUTES } from "./http/httpRoutes.js";
import { withRuntime } from "./runtime/withRuntime.js";

// v4 defaults to anonymous: the function key is required explicitly (the host enforces it).
app.http("syncCluster", {
  route: HTTP_ROUTES.syncCluster.route,
  methods: [HTTP_ROUTES.syncCluster.method],
  authLevel: "function",
  handler: withRuntime(handleSyncCluster),
});
