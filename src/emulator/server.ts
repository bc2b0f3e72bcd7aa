/**
 * The HTTPS front door: reads a request, checks the token and api-version, draws an injected
 * fault, charges the throttling buckets, runs the route's handler and writes ARM's response
 * (with `x-ms-request-id` and `x-ms-ratelimit-remaining-*`), logging every request.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorContext, EmulatorReply, EmulatorRequest } from "./context.js";
import { admit, checkToken, kindOf } from "./admission.js";
import { ArmError, armErrors } from "./errors.js";
import type { FaultInjector } from "./faults.js";
import { matchRoute } from "./router.js";
import type { Throttler } from "./throttling.js";
import type { RequestLogEntry } from "./types.js";

const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface FrontDoor {
  ctx: EmulatorContext;
  throttler: Throttler;
  faults: FaultInjector;
  requestLog: RequestLogEntry[];
  /** Where unexpected handler failures are reported. */
  log: (line: string) => void;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES)
        reject(armErrors.invalidRequestContent("the body is larger than 4 MiB."));
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseBody(raw: string): unknown {
  if (raw.trim() === "") return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    throw armErrors.invalidRequestContent((error as Error).message);
  }
}

/** Runs one request end to end and returns what to send, or "reset" to drop the connection. */
async function dispatch(
  req: IncomingMessage,
  entry: RequestLogEntry,
  url: URL,
  door: FrontDoor,
  headers: Record<string, string>,
): Promise<EmulatorReply | "reset"> {
  const raw = await readBody(req);
  const match = matchRoute(url.pathname);
  if (match !== undefined) entry.resourceType = match.route.resourceType;
  if (match === undefined) {
    checkToken(req);
    throw armErrors.unknownRoute(url.pathname);
  }
  const { route, params } = match;
  if (
    route.apiVersions !== undefined &&
    (await admit(req, route, params, entry, door, headers)) === "reset"
  )
    return "reset";
  const handler = route.methods[entry.method];
  if (handler === undefined) throw armErrors.methodNotAllowed(entry.method);

  door.ctx.store.settle(door.ctx.clock.now());
  const request: EmulatorRequest = {
    method: entry.method,
    url,
    params,
    apiVersion: entry.apiVersion ?? "",
    body: parseBody(raw),
  };
  return handler(request, door.ctx);
}

/** The request listener of the emulator's HTTPS server. */
export function createRequestListener(
  door: FrontDoor,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => void serve(req, res, door);
}

async function serve(req: IncomingMessage, res: ServerResponse, door: FrontDoor): Promise<void> {
  const { ctx } = door;
  const url = new URL(req.url ?? "/", ctx.baseUrl);
  const method = (req.method ?? "GET").toUpperCase();
  const requestId = randomUUID();
  const apiVersion = url.searchParams.get("api-version") ?? undefined;
  const entry: RequestLogEntry = {
    method,
    path: url.pathname,
    ...(apiVersion === undefined ? {} : { apiVersion }),
    status: 0,
    start: ctx.clock.now(),
    end: 0,
    kind: kindOf(method),
    resourceType: "unknown",
    requestId,
  };
  const headers: Record<string, string> = {
    "x-ms-request-id": requestId,
    "x-ms-correlation-request-id": requestId,
  };

  let reply: EmulatorReply | "reset";
  try {
    reply = await dispatch(req, entry, url, door, headers);
  } catch (error) {
    reply = toErrorReply(error, door);
  }
  if (reply === "reset") {
    entry.end = ctx.clock.now();
    door.requestLog.push(entry);
    req.socket.destroy();
    return;
  }
  send(res, reply, headers, entry, door);
}

function toErrorReply(error: unknown, door: FrontDoor): EmulatorReply {
  if (error instanceof ArmError)
    return { status: error.status, body: error.toBody(), headers: error.headers };
  door.log(`arc-wi ARM emulator: unexpected failure: ${(error as Error)?.stack ?? String(error)}`);
  return {
    status: 500,
    body: {
      error: {
        code: "InternalServerError",
        message: `The emulator failed: ${(error as Error)?.message}`,
      },
    },
  };
}

function send(
  res: ServerResponse,
  reply: EmulatorReply,
  headers: Record<string, string>,
  entry: RequestLogEntry,
  door: FrontDoor,
): void {
  const all: Record<string, string> = { ...headers, ...reply.headers };
  const payload = reply.body === undefined ? undefined : JSON.stringify(reply.body);
  if (payload !== undefined) all["content-type"] = "application/json; charset=utf-8";
  all["content-length"] = String(payload === undefined ? 0 : Buffer.byteLength(payload));
  // Logged as the response is handed over, so a client that got it always finds it in the log.
  entry.status = reply.status;
  entry.end = door.ctx.clock.now();
  door.requestLog.push(entry);
  res.writeHead(reply.status, all);
  res.end(payload);
}
