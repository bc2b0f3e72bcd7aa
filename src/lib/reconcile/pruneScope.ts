import type { DesiredIdentity, LoadedPolicy } from "../policy/index.js";
import type { ClusterReport, ReconcileRequest } from "./contract.js";
import type { EngineDeps } from "./engineDeps.js";
import type { PruneScope } from "./pruneCluster.js";

/**
 * Decides where to look for leftovers. The hot path looks only at identities the last report
 * named and the cluster no longer uses (often none: then no read at all). Deletes, opt-outs,
 * sweeps, CLI runs and runs without a status store scan the resource groups the policy and the
 * last report name, listing identities by our ownership tags.
 * @returns undefined when there is nothing to look at.
 */
export function pruneScopeFor(args: {
  deps: EngineDeps;
  request: ReconcileRequest;
  clusterId: string;
  keep: Set<string>;
  /** Identity keys with a problem this run: never pruned (see `PruneScope.keepKeys`). */
  keepKeys?: Set<string>;
  desired: DesiredIdentity[];
  scan?: boolean;
  /** The cluster's last report (read once by the caller). */
  previous: ClusterReport | undefined;
}): PruneScope | undefined {
  const { deps, request, previous } = args;
  const keepKeys = args.keepKeys ?? new Set<string>();
  const previousIds = (previous?.identities ?? [])
    .filter(
      (i) => i.resourceId && !args.keep.has(i.resourceId.toLowerCase()) && !keepKeys.has(i.key),
    )
    .map((i) => i.resourceId);
  const scan =
    args.scan === true || request.reason === "sweep" || request.reason === "cli" || !deps.reports;
  if (!scan && previousIds.length === 0) return undefined;

  const subscription = args.clusterId.split("/")[2] ?? "";
  const groups = scan
    ? resourceGroupsToScan(deps.policy, subscription, args.desired, previousIds)
    : [];
  return { identityIds: previousIds, resourceGroups: groups, keep: args.keep, keepKeys };
}

function resourceGroupsToScan(
  policy: LoadedPolicy,
  subscription: string,
  desired: DesiredIdentity[],
  ids: string[],
) {
  const groups = new Map<string, { subscriptionId: string; resourceGroup: string }>();
  const add = (subscriptionId: string, resourceGroup: string) =>
    groups.set(`${subscriptionId}/${resourceGroup}`.toLowerCase(), {
      subscriptionId,
      resourceGroup,
    });

  for (const d of desired) add(d.subscriptionId, d.resourceGroup);
  for (const id of ids) {
    const parts = id.split("/");
    if (parts[2] && parts[4]) add(parts[2], parts[4]);
  }
  for (const { subscriptionId, resourceGroup } of staticResourceGroups(
    policy.document,
    subscription,
  )) {
    add(subscriptionId, resourceGroup);
  }
  return [...groups.values()];
}

/**
 * Every literal `resourceGroup` the policy document names (templated ones cannot be known
 * without a cluster), with its sibling `subscription` or the cluster's subscription.
 */
export function staticResourceGroups(document: unknown, defaultSubscription: string) {
  const found: { subscriptionId: string; resourceGroup: string }[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    const rg = record.resourceGroup;
    const sub =
      typeof record.subscription === "string" && !record.subscription.includes("{")
        ? record.subscription
        : defaultSubscription;
    if (typeof rg === "string" && !rg.includes("{"))
      found.push({ subscriptionId: sub, resourceGroup: rg });
    Object.values(record).forEach(visit);
  };
  visit(document);
  return found;
}
