import type { InvocationContext } from "@azure/functions";

import type { LogFields, Logger } from "../../lib/log/logger.js";

/**
 * Fields whose text values may be logged. Anything else keeps numbers and booleans and loses
 * its text: a token, header or body can never reach the logs under an unexpected key.
 */
const ALLOWED_TEXT_FIELDS = new Set([
  "action",
  "attempt",
  "cluster",
  "clusterId",
  "code",
  "component",
  "credential",
  "dequeueCount",
  "eventId",
  "function",
  "identity",
  "ignored",
  "invocationId",
  "issuer",
  "kind",
  "lock",
  "operationId",
  "outcome",
  "policyVersion",
  "problems",
  "queue",
  "reason",
  "reconcileId",
  "requestId",
  "scope",
  "status",
  "target",
  "trigger",
]);

/** Keeps only allow-listed text fields (numbers and booleans always pass). */
export function sanitizeFields(fields: LogFields): LogFields {
  const safe: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    safe[key] = typeof value !== "string" || ALLOWED_TEXT_FIELDS.has(key) ? value : "[redacted]";
  }
  return safe;
}

/**
 * A {@link Logger} over an `InvocationContext`: a constant message plus JSON fields, with the
 * invocation id on every line, so Application Insights can query them.
 */
export function createContextLogger(context: InvocationContext, fields: LogFields = {}): Logger {
  const base = { invocationId: context.invocationId, ...fields };
  const line = (message: string, extra?: LogFields): string =>
    `${message} ${JSON.stringify(sanitizeFields({ ...base, ...extra }))}`;

  return {
    debug: (message, extra) => context.debug(line(message, extra)),
    info: (message, extra) => context.info(line(message, extra)),
    warn: (message, extra) => context.warn(line(message, extra)),
    error: (message, extra) => context.error(line(message, extra)),
    child: (more) => createContextLogger(context, { ...fields, ...more }),
  };
}
