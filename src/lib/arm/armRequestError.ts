import { isRestError } from "@azure/core-rest-pipeline";

/**
 * A failed ARM call, with what a caller needs to decide: the HTTP status, ARM's error code,
 * the `x-ms-request-id` to quote to support, and whether trying again can help.
 */
export class ArmRequestError extends Error {
  override readonly name = "ArmRequestError";
  /** ARM's error code (`error.code` in the body), or a PascalCase code of ours. */
  readonly code: string;
  readonly statusCode: number | undefined;
  readonly requestId: string | undefined;
  /** From `retry-after-ms` or `Retry-After`, when the response had one. */
  readonly retryAfterMs: number | undefined;
  readonly retryable: boolean;

  constructor(options: {
    message: string;
    code: string;
    statusCode?: number;
    requestId?: string;
    retryAfterMs?: number;
    cause?: unknown;
  }) {
    super(options.message, { cause: options.cause });
    this.code = options.code;
    this.statusCode = options.statusCode;
    this.requestId = options.requestId;
    this.retryAfterMs = options.retryAfterMs;
    this.retryable = isRetryableStatus(options.statusCode);
  }
}

/** 408, 409 (concurrent writes), 429 and 5xx are worth another try; the rest are not. */
export function isRetryableStatus(status: number | undefined): boolean {
  if (status === undefined) return true;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Named predicates: classify by status and ARM code, never by message text. */
export const isNotFound = (e: unknown): boolean => toStatus(e) === 404;
export const isConflict = (e: unknown): boolean => toStatus(e) === 409;
export const isThrottled = (e: unknown): boolean => toStatus(e) === 429;

function toStatus(e: unknown): number | undefined {
  if (e instanceof ArmRequestError) return e.statusCode;
  if (isRestError(e)) return e.statusCode;
  return undefined;
}

/**
 * Converts whatever a client threw into an `ArmRequestError` (keeping it as `cause`).
 * @param what - the operation, for the message (`"create federatedIdentityCredential x"`).
 */
export function toArmRequestError(e: unknown, what: string): ArmRequestError {
  if (e instanceof ArmRequestError) return e;
  if (!isRestError(e)) {
    const message = e instanceof Error ? e.message : String(e);
    return new ArmRequestError({
      message: `${what} failed: ${message}`,
      code: isAuthenticationError(e) ? "AuthenticationFailed" : "ArmUnreachable",
      cause: e,
    });
  }

  const headers = e.response?.headers;
  const body = parseErrorBody(e.response?.bodyAsText ?? undefined);
  const code = body?.code ?? e.code ?? `Http${e.statusCode ?? "Error"}`;
  return new ArmRequestError({
    message: `${what} failed with ${e.statusCode ?? "no status"} ${code}: ${body?.message ?? e.message}`,
    code,
    statusCode: e.statusCode,
    requestId: headers?.get("x-ms-request-id") ?? undefined,
    retryAfterMs: readRetryAfterMs(headers),
    cause: e,
  });
}

/** `@azure/identity` could get no token (its error names; no credential worked). */
function isAuthenticationError(e: unknown): boolean {
  const name = e instanceof Error ? e.name : "";
  return [
    "CredentialUnavailableError",
    "AuthenticationError",
    "AggregateAuthenticationError",
  ].includes(name);
}

/** Reads `retry-after-ms`, `x-ms-retry-after-ms` or `Retry-After` (seconds). */
export function readRetryAfterMs(
  headers: { get(name: string): string | undefined } | undefined,
): number | undefined {
  const ms =
    headers?.get("x-arc-wi-original-retry-after-ms") ??
    headers?.get("retry-after-ms") ??
    headers?.get("x-ms-retry-after-ms");
  if (ms !== undefined && Number.isFinite(Number(ms))) return Number(ms);
  const seconds = headers?.get("retry-after");
  if (seconds !== undefined && Number.isFinite(Number(seconds))) return Number(seconds) * 1000;
  return undefined;
}

function parseErrorBody(text: string | undefined): { code?: string; message?: string } | undefined {
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
    return parsed.error;
  } catch {
    return undefined;
  }
}
