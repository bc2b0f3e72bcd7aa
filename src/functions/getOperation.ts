import { app } from "@azure/functions";

import { handleGetOperation } from "./http/handleGetOperation.js";
import { HTTP_ROUTES } from "./http/httpRoutes.js";
import { withRuntime } from "./runtime/withRuntime.js";

// v4 defaults to anonymous: the function key is required explicitly (the host enforces it).
app.http("getOperation", {
  route: HTTP_ROUTES.getOperation.route,
  methods: [HTTP_ROUTES.getOperation.method],
  authLevel: "function",
  handler: withRuntime(handleGetOperation),
});
