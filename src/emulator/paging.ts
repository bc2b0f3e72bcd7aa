/**
 * Paged lists as ARM returns them: `{ value, nextLink }`, where nextLink repeats the request with
 * an opaque `$skiptoken` (and the same `$top` and api-version).
 */
import type { EmulatorContext, EmulatorRequest } from "./context.js";
import { armErrors } from "./errors.js";

export interface Page<T> {
  value: T[];
  nextLink?: string;
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), "utf8").toString("base64url");
}

function decodeToken(token: string): number {
  try {
    const { offset } = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as {
      offset?: unknown;
    };
    if (typeof offset === "number" && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // Falls through to the error below.
  }
  throw armErrors.invalidSkipToken();
}

/** The `$top` of a request, if given; throws ARM's error when it is not an integer ≥ 1. */
export function readTop(req: EmulatorRequest): number | undefined {
  const raw = req.url.searchParams.get("$top");
  if (raw === null) return undefined;
  const top = Number(raw);
  if (!Number.isInteger(top) || top < 1) throw armErrors.invalidTop(raw);
  return top;
}

/** One page of `items` (already in list order) for this request. */
export function paginate<T>(
  items: readonly T[],
  req: EmulatorRequest,
  ctx: EmulatorContext,
  top?: number,
): Page<T> {
  const token = req.url.searchParams.get("$skiptoken") ?? req.url.searchParams.get("$skipToken");
  const offset = token === null ? 0 : decodeToken(token);
  const size = Math.max(1, top ?? ctx.config.pageSize);
  const value = items.slice(offset, offset + size);
  if (offset + size >= items.length) return { value };

  const topPart = top === undefined ? "" : `&$top=${top}`;
  const query = `api-version=${encodeURIComponent(req.apiVersion)}${topPart}&$skiptoken=${encodeToken(offset + size)}`;
  return { value, nextLink: `${ctx.baseUrl}${req.url.pathname}?${query}` };
}

/** Items sorted by resource id, case-insensitively: the stable order every list uses. */
export function byId<T extends { id: string }>(items: Iterable<T>): T[] {
  return [...items].sort((a, b) => a.id.toLowerCase().localeCompare(b.id.toLowerCase()));
}
