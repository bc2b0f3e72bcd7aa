/**
 * OIDC discovery for the issuers the emulator hands out. An issuer URL has the form
 * `<emulator url>/oidc/<tenant>/<uuid>/` (trailing slash, as Azure's Arc issuers have); the
 * emulator serves `<issuer>.well-known/openid-configuration` and the JWKS it points to.
 * `issuerForm` decides whether the document's `issuer` equals ARM's `issuerUrl`, lacks its
 * trailing slash, or differs (so clients that trust the wrong one are caught).
 */
import type { EmulatorContext, EmulatorReply, Handler } from "./context.js";
import { isOidcOn } from "./clusterModel.js";
import { ArmError } from "./errors.js";
import type { ClusterRecord } from "./state.js";

/** The issuer URL of the issuer `issuerId`, exactly as ARM reports it. */
export function issuerUrlFor(
  ctx: Pick<EmulatorContext, "baseUrl" | "tenantId">,
  issuerId: string,
): string {
  return `${ctx.baseUrl}/oidc/${ctx.tenantId}/${issuerId}/`;
}

/** The `issuer` the discovery document states, per `issuerForm`. */
export function discoveryIssuer(ctx: EmulatorContext, issuerId: string): string {
  const armIssuer = issuerUrlFor(ctx, issuerId);
  switch (ctx.config.issuerForm) {
    case "same":
      return armIssuer;
    case "noTrailingSlash":
      return armIssuer.slice(0, -1);
    case "different":
      return armIssuer.replace("://127.0.0.1:", "://localhost:");
  }
}

/** The cluster whose ready issuer has this id, if any. */
function findIssuerCluster(ctx: EmulatorContext, issuerId: string): ClusterRecord | undefined {
  const now = ctx.clock.now();
  for (const cluster of ctx.store.clusters.values()) {
    if (cluster.issuerId !== issuerId || cluster.issuerUrlOverride !== undefined) continue;
    if (!isOidcOn(cluster.properties) || cluster.issuerReadyAt === undefined) continue;
    return now >= cluster.issuerReadyAt ? cluster : undefined;
  }
  return undefined;
}

function issuerNotFound(): ArmError {
  return new ArmError(
    404,
    "NotFound",
    "No OIDC issuer is served at this path (unknown, not ready yet, or its cluster is gone).",
  );
}

export const getOpenIdConfiguration: Handler = (req, ctx): EmulatorReply => {
  const { tenant, issuerId } = req.params as { tenant: string; issuerId: string };
  if (tenant !== ctx.tenantId || findIssuerCluster(ctx, issuerId) === undefined)
    throw issuerNotFound();
  const issuer = issuerUrlFor(ctx, issuerId);
  return {
    status: 200,
    body: {
      issuer: discoveryIssuer(ctx, issuerId),
      jwks_uri: `${issuer}openid/v1/jwks`,
      response_types_supported: ["id_token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
    },
  };
};

export const getJwks: Handler = (req, ctx): EmulatorReply => {
  const { tenant, issuerId } = req.params as { tenant: string; issuerId: string };
  if (tenant !== ctx.tenantId || findIssuerCluster(ctx, issuerId) === undefined)
    throw issuerNotFound();
  return { status: 200, body: { keys: [{ ...ctx.jwk, kid: issuerId }] } };
};
