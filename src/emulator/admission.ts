/**
 * Admission of an ARM request before its handler runs: the bearer token, the api-version, the
 * method, an injected fault, and the throttling buckets (ARM's and the identity service's).
 */
import type { IncomingMessage } from "node:http";
import { ArmError, armErrors } from "./errors.js";
import { operationSubscription } from "./operations.js";
import type { Route } from "./router.js";
import type { FrontDoor } from "./server.js";
import { resourceKey } from "./state.js";
import { retryAfterHeaders, type MsiCharge, type RequestKind } from "./throttling.js";
import type { RequestLogEntry } from "./types.js";

/** ARM's kind of a request, which picks its throttling bucket. */
export function kindOf(method: string): RequestKind {
  if (method === "GET" || method === "HEAD") return "read";
  return method === "DELETE" ? "delete" : "write";
}

export function checkToken(req: IncomingMessage): void {
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
export async function admit(
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
