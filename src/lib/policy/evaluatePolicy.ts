import { buildDesiredIdentity } from "./buildDesiredIdentity.js";
import { createClusterTagView, type ClusterTagView } from "./clusterTags.js";
import { displayValue } from "./displayValue.js";
import { dropIdentityConflicts } from "./dropIdentityConflicts.js";
import type { PolicyDocument } from "./policySchema.js";
import type {
  ClusterFacts,
  DesiredIdentity,
  IdentityProblem,
  LoadedPolicy,
  PolicyEvaluation,
} from "./policyTypes.js";
import { selectProfiles } from "./selectProfiles.js";

/**
 * What the policy wants for one cluster. Pure; never throws for bad tags.
 *
 * 1. The opt-out tag (`arc-wi=disabled` unless `defaults.optOutTag` says otherwise; key
 *    case-insensitive, value exact) → `skipped`.
 * 2. The rules select profiles; none → `skipped`, with the reason.
 * 3. Each identity of each selected profile is rendered. A tag value that breaks an identity's
 *    name, resource group or location makes a problem for that identity, which is then left out;
 *    the other identities still go through. Two entries rendering to the same Azure identity:
 *    the later one is an `IdentityConflict` problem.
 *
 * @returns `skipped` with a reason, or `selected` with the identities to write and the problems.
 */
export function evaluatePolicy(policy: LoadedPolicy, cluster: ClusterFacts): PolicyEvaluation {
  const { document } = policy;
  const tags = createClusterTagView(cluster.tags);

  const optOut = explainOptOut(document.defaults.optOutTag, tags);
  if (optOut !== undefined) {
    return { kind: "skipped", reason: optOut };
  }

  const selection = selectProfiles(document.rules, cluster, tags);
  if (selection.profiles.length === 0) {
    const reason =
      selection.matchedRules.length === 0
        ? "no policy rule matches this cluster"
        : `the matching rules (${selection.matchedRules.join(", ")}) select no profile`;
    return { kind: "skipped", reason };
  }

  const identities: DesiredIdentity[] = [];
  const problems: IdentityProblem[] = [];
  for (const profileName of selection.profiles) {
    const built = buildProfile(document, profileName, { cluster, tags });
    identities.push(...built.identities);
    problems.push(...built.problems);
  }
  const distinct = dropIdentityConflicts(identities);
  problems.push(...distinct.problems);
  return {
    kind: "selected",
    profiles: selection.profiles,
    identities: distinct.identities,
    problems,
  };
}

function explainOptOut(optOutTag: { key: string; value: string }, tags: ClusterTagView) {
  const found = tags.lookup(optOutTag.key);
  // Two spellings of the key with different values: if either says "opt out", the owner asked.
  const values = found.kind === "ambiguous" ? found.entries.map((e) => e.value) : [];
  const optedOut =
    (found.kind === "value" && found.value === optOutTag.value) || values.includes(optOutTag.value);
  if (!optedOut) {
    return undefined;
  }
  return `opted out by tag ${displayValue(optOutTag.key)}=${displayValue(optOutTag.value)}`;
}

function buildProfile(
  document: PolicyDocument,
  profileName: string,
  context: { cluster: ClusterFacts; tags: ClusterTagView },
) {
  const profile = document.profiles[profileName];
  const identities: DesiredIdentity[] = [];
  const problems: IdentityProblem[] = [];
  if (profile === undefined) {
    // parsePolicy refuses rules naming missing profiles; this only guards hand-built documents.
    return { identities, problems };
  }

  for (const identity of profile.identities) {
    const { defaults } = document;
    const built = buildDesiredIdentity({ profileName, profile, identity, defaults, context });
    problems.push(...built.problems);
    if (built.identity !== undefined) {
      identities.push(built.identity);
    }
  }
  return { identities, problems };
}
