import { randomUUID } from "node:crypto";

import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";

import { enqueueFleet } from "../../lib/queue/enqueueFleet.js";
import type { AppRuntime } from "../runtime/appRuntime.js";
import { createContextLogger } from "../runtime/contextLogger.js";
import { acceptedResponse } from "./accepted.js";
import { methodNotAllowed, problemResponse } from "./problem.js";
import { readFleetTarget } from "./readFleetTarget.js";
import { readJsonBody } from "./readJsonBody.js";

/**
 * `POST /api/sync` with `{subscriptionIds?, resourceGroups?, clusterIds?}`: enumerates the
 * clusters and enqueues them, paced — no reconcile runs in the request — and answers 202 with
 * an operation id whose progress `GET /api/operations/{id}` shows.
 */
export async function handleSyncFleet(
  request: HttpRequest,
  context: InvocationContext,
  runtime: AppRuntime,
): Promise<HttpResponseInit> {
  if (request.method !== "POST") return methodNotAllowed(request.method, "POST");
  const read = await readJsonBody(request);
  if ("response" in read) return read.response;
  const target = readFleetTarget(read.body, runtime.allowedScopes);
  if ("response" in target) return target.response;

  const operationId = randomUUID();
  const logger = createContextLogger(context, { operationId });
  await runtime.operations.create(operationId, "fleet");

  try {
    const enqueued = await enqueueFleet({
      reconciler: runtime.reconciler,
      queue: runtime.queue,
      ...target,
      reason: "http",
      eventId: operationId,
      operationId,
      perSecond: runtime.enqueuePerSecond,
    });
    await runtime.operations.finishEnumeration(operationId, enqueued);
    logger.info("fleet sync enqueued", { enqueued });
    return acceptedResponse(request, operationId, { enqueued });
  } catch (error) {
    const code = (error as { code?: string }).code ?? "EnumerationFailed";
    await runtime.operations.finishEnumeration(operationId, 0, {
      code,
      message: (error as Error).message,
    });
    logger.error("fleet sync enumeration failed", { code });
    return problemResponse({
      status: 502,
      title: "Enumeration failed",
      detail: `Listing clusters failed (${code}); retry later.`,
    });
  }
}
