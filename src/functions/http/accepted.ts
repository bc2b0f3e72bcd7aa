import type { HttpRequest, HttpResponseInit } from "@azure/functions";

/** 202 with the operation's status URL in `Location` (and in the body). */
export function acceptedResponse(
  request: HttpRequest,
  operationId: string,
  body: Record<string, unknown> = {},
): HttpResponseInit {
  const location = new URL(`/api/operations/${operationId}`, request.url).toString();
  return { status: 202, headers: { location }, jsonBody: { operationId, location, ...body } };
}
