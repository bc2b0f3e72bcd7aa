import type { DesiredIdentity } from "../policy/index.js";
import { clusterTagValue, MANAGED_BY, OWNER_TAGS } from "./naming.js";

/**
 * The tags an identity we create carries: the policy's own tags, then ours (which win), so
 * ownership, the identity's key, its cluster (`cluster` scope) or shard (`shared`), and what to
 * do with it on removal can be read back from Azure alone.
 */
export function desiredIdentityTags(
  clusterId: string,
  desired: DesiredIdentity,
  shard: number | undefined,
): Record<string, string> {
  const tags: Record<string, string> = {
    ...desired.tags,
    [OWNER_TAGS.managedBy]: MANAGED_BY,
    [OWNER_TAGS.identityKey]: desired.key,
    [OWNER_TAGS.onRemove]: desired.onRemove,
  };
  if (desired.scope === "cluster") tags[OWNER_TAGS.cluster] = clusterTagValue(clusterId);
  if (desired.scope === "shared") tags[OWNER_TAGS.shard] = String(shard ?? 0);
  return tags;
}
