import { app } from "@azure/functions";

import { handleGetClusterManifests } from "./http/handleGetClusterManifests.js";
import { HTTP_ROUTES } from "./http/httpRoutes.js";
import { withRuntime } from "./runtime/withRuntime.js";

// v4 defaults to anonymous: the function key is required explicitly (the host enforces it).
app.http("getClusterManifests", {
  route: HTTP_ROUTES.getClusterManifests.route,
  methods: [HTTP_ROUTES.getClusterManifests.method],
  authLevel: "function",
  handler: withRuntime(handleGetClusterManifests),
});
