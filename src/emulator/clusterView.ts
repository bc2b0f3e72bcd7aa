/**
 * How a stored connectedCluster looks at one moment: connectivity, provisioning, agent state and
 * issuer URL all follow the emulator clock.
 */
import { CLUSTER_TYPE, isOidcOn } from "./clusterModel.js";
import { isoTime, type EmulatorContext } from "./context.js";
import { issuerUrlFor } from "./discovery.js";
import type { ClusterRecord, Timed } from "./state.js";

/** The value of a timed state at `now`. */
export function timedValue(timed: Timed, now: number): string {
  return now < timed.until ? timed.pending : timed.final;
}

/** The agents' state: converging while a change rolls out, then the configured outcome. */
export function agentStateOf(cluster: ClusterRecord, ctx: EmulatorContext, now: number): string {
  if (now < cluster.agentConvergeAt) return "Updating";
  return cluster.agentState ?? ctx.config.agentOutcome;
}

/** The issuer URL GET shows, or undefined while OIDC is off or the issuer is not ready yet. */
export function visibleIssuerUrl(
  cluster: ClusterRecord,
  ctx: EmulatorContext,
  now: number,
): string | undefined {
  if (
    !isOidcOn(cluster.properties) ||
    cluster.issuerReadyAt === undefined ||
    now < cluster.issuerReadyAt
  ) {
    return undefined;
  }
  return cluster.issuerUrlOverride ?? issuerUrlFor(ctx, cluster.issuerId);
}

/** The JSON body GET returns for `cluster` now. */
export function renderCluster(
  cluster: ClusterRecord,
  ctx: EmulatorContext,
): Record<string, unknown> {
  const now = ctx.clock.now();
  const connectivityStatus = timedValue(cluster.connectivity, now);
  return {
    id: cluster.id,
    name: cluster.name,
    type: CLUSTER_TYPE,
    location: cluster.location,
    tags: { ...cluster.tags },
    ...(cluster.kind === undefined ? {} : { kind: cluster.kind }),
    identity: { ...cluster.identity },
    systemData: {
      createdBy: "emulator@arc-wi.local",
      createdByType: "User",
      createdAt: isoTime(cluster.createdAt),
      lastModifiedBy: "emulator@arc-wi.local",
      lastModifiedByType: "User",
      lastModifiedAt: isoTime(cluster.lastModifiedAt),
    },
    properties: {
      ...renderWritable(cluster, ctx, now),
      ...(connectivityStatus === "Connected" ? renderReported(cluster, now) : {}),
      provisioningState: timedValue(cluster.provisioning, now),
      connectivityStatus,
    },
  };
}

function renderWritable(
  cluster: ClusterRecord,
  ctx: EmulatorContext,
  now: number,
): Record<string, unknown> {
  const props = structuredClone(cluster.properties);
  const agent = (props.arcAgentProfile ?? {}) as Record<string, unknown>;
  props.arcAgentProfile = { ...agent, agentState: agentStateOf(cluster, ctx, now) };

  const oidc = props.oidcIssuerProfile as Record<string, unknown> | undefined;
  const issuerUrl = visibleIssuerUrl(cluster, ctx, now);
  if (oidc !== undefined && issuerUrl !== undefined) oidc.issuerUrl = issuerUrl;

  // Protected settings are secrets: written, never read back (so a re-PUT of a GET loses them).
  const configs = props.arcAgentryConfigurations as Record<string, unknown>[] | undefined;
  if (configs !== undefined) {
    props.arcAgentryConfigurations = configs.map(({ protectedSettings: _secret, ...rest }) => rest);
  }
  return props;
}

function renderReported(cluster: ClusterRecord, now: number): Record<string, unknown> {
  return { ...cluster.reported, lastConnectivityTime: isoTime(now) };
}
