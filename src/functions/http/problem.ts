import type { HttpResponseInit } from "@azure/functions";

/** An RFC 9457 problem: what is wrong, and with which field when the input is at fault. */
export interface Problem {
  status: number;
  title: string;
  detail: string;
  /** The request field at fault (`clusterName`, `clusterIds[2]`, `body`). */
  field?: string;
}

/**
 * An `application/problem+json` response.
 * @see https://www.rfc-editor.org/rfc/rfc9457
 */
export function problemResponse(problem: Problem): HttpResponseInit {
  return {
    status: problem.status,
    headers: { "content-type": "application/problem+json" },
    jsonBody: { type: "about:blank", ...problem },
  };
}

/** 400 naming the field. */
export function badRequest(field: string, detail: string): HttpResponseInit {
  return problemResponse({ status: 400, title: "Bad request", detail, field });
}

/** 403: a cluster or scope outside ARC_WI_ALLOWED_SCOPES. */
export function forbiddenScope(field: string, id: string): HttpResponseInit {
  const detail = `${id} is outside the app's allowed scopes (ARC_WI_ALLOWED_SCOPES).`;
  return problemResponse({ status: 403, title: "Outside the allowed scopes", detail, field });
}

/** 404 for an unknown cluster or operation. */
export function notFound(detail: string): HttpResponseInit {
  return problemResponse({ status: 404, title: "Not found", detail });
}

/** 405 when the route is called with another method. */
export function methodNotAllowed(method: string, allowed: string): HttpResponseInit {
  const response = problemResponse({
    status: 405,
    title: "Method not allowed",
    detail: `${method} is not allowed here; use ${allowed}.`,
  });
  return { ...response, headers: { ...response.headers, allow: allowed } };
}
