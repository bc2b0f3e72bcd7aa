/**
 * The HTTPS front door: reads a request, checks the token and api-version, draws an injected
 * fault, charges the throttling buckets, runs the route's handler and writes ARM's response
 * (with `x-ms-request-id` and `x-ms-ratelimit-remaining-*`), logging every request.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorContext, EmulatorReply, EmulatorRequest } from "./context.js";
import { ArmError, armErrors } from "./errors.js";
import type { FaultInjector } from "./faults.js";
import { operationSubscription } from "./operations.js";
import { matchRoute, type Route } from "./router.js";
import { resourceKey } from "./state.js";
import {
  retryAfterHeaders,
  type MsiCharge,
  type RequestKind,
  type Throttler,
} from "./throttling.js";
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

function kindOf(method: string): RequestKind {
  if (method === "GET" || method === "HEAD") return "read";
  return method === "DELETE" ? "delete" : "write";
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

function checkToken(req: IncomingMessage): void {
  const header = req.headers.authorization;
  if (header === undefined || header.trim() === "") throw armErrors.authenticationMissing();
  if (!/^Bearer\s+\S+/i.test(header)) throw armErrors.authenticationInvalid();
}

/** The MSI limits a request is charged against, for identity-service routes. */
function msiCharge(
  route: Route,
  method: string,
  params: Record<string, string>,
  door: FrontDoor,
): MsiCharge | undefined {
  const { ctx } = door;
  if (route.msi === undefined || route.msi === "operations") return undefined;
  const kind = kindOf(method);
  const operation =
    route.msi === "identities" || route.msi === "credentials"
      ? "lists"
      : kind === "read"
        ? "reads"
        : kind === "write"
          ? "writes"
          : "deletes";
  const sub = params.subscriptionId!;
  const identity =
    params.resourceName === undefined
      ? undefined
      : resourceKey(sub, params.resourceGroupName!, params.resourceName);
  const resources: string[] = [];
  if (route.msi === "identities")
    resources.push(`${sub}/${params.resourceGroupName ?? ""}`.toLowerCase());
  if (route.msi === "identity" || route.msi === "credentials") resources.push(identity!);
  if (route.msi === "credential") {
    resources.push(
      `${identity}/fic/${params.federatedIdentityCredentialResourceName!.toLowerCase()}`,
    );
    if (kind !== "read" && ctx.config.throttling.msi.countCredentialWritesAgainstIdentity)
      resources.push(identity!);
  }
  return { operation, tenantId: ctx.tenantId, subscriptionId: sub, resources };
}

/** Everything an ARM route does before its handler: token, api-version, method, fault, throttle. */
async function admit(
  req: IncomingMessage,
  route: Route,
  params: Record<string, string>,
  entry: RequestLogEntry,
  door: FrontDoor,
  headers: Record<string, string>,
): Promise<"reset" | undefined> {
  const { ctx } = door;
  checkToken(req);
  const versions = route.apiVersions!;
  if (entry.apiVersion === undefined || entry.apiVersion === "")
    throw armErrors.missingApiVersion();
  if (!versions.includes(entry.apiVersion))
    throw armErrors.invalidApiVersion(entry.apiVersion, versions);
  if (route.methods[entry.method] === undefined) throw armErrors.methodNotAllowed(entry.method);

  const fault = door.faults.next();
  if (fault !== undefined) entry.fault = fault;
  if (fault === "reset") return "reset";
  if (fault === "slow") await ctx.clock.sleep(ctx.config.faults.slowMs);
  const retry = () =>
    retryAfterHeaders(1000, ctx.clock.timeScale, ctx.config.throttling.retryAfterStyle);
  if (fault === "500") throw armErrors.faultInternal();
  if (fault === "503") throw withHeaders(armErrors.faultUnavailable(), retry());
  if (fault === "429") throw withHeaders(armErrors.faultThrottled(), retry());

  const subscriptionId = params.subscriptionId ?? operationSubscription(ctx, params.operationId);
  const verdict = door.throttler.charge({
    now: ctx.clock.now(),
    subscriptionId,
    kind: entry.kind,
    msi: msiCharge(route, entry.method, params, door),
  });
  Object.assign(headers, verdict.headers);
  if (verdict.error !== undefined) {
    const { timeScale } = ctx.clock;
    throw withHeaders(
      verdict.error,
      retryAfterHeaders(
        verdict.retryAfterMs ?? 1000,
        timeScale,
        ctx.config.throttling.retryAfterStyle,
      ),
    );
  }
  return undefined;
}

function withHeaders(error: ArmError, headers: Record<string, string>): ArmError {
  Object.assign(error.headers, headers);
  return error;
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
