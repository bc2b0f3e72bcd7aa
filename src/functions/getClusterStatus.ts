import { app } from "@azure/functions";

import { handleGetClusterStatus } from "./http/handleGetClusterStatus.js";
import { HTTP_ROUTES } from "./http/httpRoutes.js";
import { withRuntime } from "./runtime/withRuntime.js";

// v4 defaults to anonymous: the function key is required explicitly (the host enforces it).
app.http("getClusterStatus", {
  route: HTTP_ROUTES.getClusterStatus.route,
  methods: [HTTP_ROUTES.getClusterStatus.method],
  authLevel: "function",
  handler: withRuntime(handleGetClusterStatus),
});
