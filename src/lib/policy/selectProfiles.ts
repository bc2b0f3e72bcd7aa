import type { ClusterTagView } from "./clusterTags.js";
import { matchesAnyGlob } from "./glob.js";
import { normalizeLocation } from "./azureNames.js";
import type { PolicyMatch, PolicyRule } from "./policySchema.js";
import type { ClusterFacts } from "./policyTypes.js";

/** Profiles selected for a cluster, and the rules that selected them. */
export interface ProfileSelection {
  profiles: string[];
  /** Labels of the matching rules (`name`, or `rules[i]`), in order. */
  matchedRules: string[];
}

const IGNORE_CASE = { ignoreCase: true };

/**
 * Applies the rules in order. Every rule whose `match` holds and whose `exclude` does not adds
 * its profiles (union, each profile once, in order of first appearance); a matching rule with
 * `final: true` stops the walk, so later rules are not looked at.
 */
export function selectProfiles(
  rules: readonly PolicyRule[],
  cluster: ClusterFacts,
  tags: ClusterTagView,
): ProfileSelection {
  const selection: ProfileSelection = { profiles: [], matchedRules: [] };

  for (const [index, rule] of rules.entries()) {
    const applies =
      matchesCluster(rule.match, cluster, tags) &&
      (rule.exclude === undefined || !matchesCluster(rule.exclude, cluster, tags));
    if (!applies) {
      continue;
    }
    selection.matchedRules.push(rule.name ?? `rules[${index}]`);
    for (const profile of rule.profiles) {
      if (!selection.profiles.includes(profile)) {
        selection.profiles.push(profile);
      }
    }
    if (rule.final) {
      break;
    }
  }
  return selection;
}

/**
 * Whether every condition given holds (a condition with a list holds when any entry matches).
 * A condition on a fact the cluster lacks (no distribution, no kind) does not hold.
 */
export function matchesCluster(match: PolicyMatch, cluster: ClusterFacts, tags: ClusterTagView) {
  const facts: Array<[readonly string[] | undefined, string | undefined]> = [
    [match.subscriptions, cluster.subscriptionId],
    [match.resourceGroups, cluster.resourceGroup],
    [match.locations, normalizeLocation(cluster.location)],
    [match.distributions, cluster.distribution],
    [match.kinds, cluster.kind],
  ];
  const factsHold = facts.every(
    ([patterns, value]) =>
      patterns === undefined ||
      (value !== undefined && matchesAnyGlob(value, patterns, IGNORE_CASE)),
  );
  return factsHold && tagsMatch(match.tags ?? {}, tags);
}

function tagsMatch(conditions: Record<string, string | string[]>, tags: ClusterTagView): boolean {
  return Object.entries(conditions).every(([key, wanted]) => {
    const found = tags.lookup(key);
    const patterns = typeof wanted === "string" ? [wanted] : wanted;
    // Tag values are compared case-sensitively: "prod" and "Prod" are different values.
    return found.kind === "value" && matchesAnyGlob(found.value, patterns, { ignoreCase: false });
  });
}
