import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";

import type { AppRuntime } from "../runtime/appRuntime.js";
import { badRequest, methodNotAllowed, notFound } from "./problem.js";

const UUID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

/** `GET /api/operations/{operationId}`: progress of an HTTP-started sync. */
export async function handleGetOperation(
  request: HttpRequest,
  _context: InvocationContext,
  runtime: AppRuntime,
): Promise<HttpResponseInit> {
  if (request.method !== "GET") return methodNotAllowed(request.method, "GET");
  const id = request.params.operationId ?? "";
  if (!UUID.test(id))
    return badRequest("operationId", "operationId must be the UUID a sync returned.");

  const progress = await runtime.operations.getProgress(id);
  if (!progress) return notFound(`No operation ${id}.`);
  return { status: 200, jsonBody: progress };
}
