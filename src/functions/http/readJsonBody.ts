import type { HttpRequest, HttpResponseInit } from "@azure/functions";

import { badRequest, problemResponse } from "./problem.js";

/** Request bodies larger than this are refused with 413. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Reads a JSON object body, capped at {@link MAX_BODY_BYTES} (by `content-length` first, then
 * by what arrives). An empty body is `{}`.
 * @returns the object, or the 400 / 413 response to send.
 */
export async function readJsonBody(
  request: HttpRequest,
): Promise<{ body: Record<string, unknown> } | { response: HttpResponseInit }> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) return { response: tooLarge() };

  const text = await request.text();
  if (Buffer.byteLength(text, "utf8") > MAX_BODY_BYTES) return { response: tooLarge() };
  if (text.trim() === "") return { body: {} };

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { response: badRequest("body", "The body is not valid JSON.") };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return { response: badRequest("body", "The body must be a JSON object.") };
  }
  return { body: parsed as Record<string, unknown> };
}

function tooLarge(): HttpResponseInit {
  return problemResponse({
    status: 413,
    title: "Body too large",
    detail: `The body is larger than ${MAX_BODY_BYTES} bytes. Sync fewer clusters per request, or sync by subscription or resource group.`,
    field: "body",
  });
}
