import {
  parsePolicy,
  type ClusterFacts,
  type LoadedPolicy,
} from "../../../src/lib/policy/index.js";

export const SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-111122223333";

/** A cluster as the engine would describe it; `overrides` replace fields, `tags` replace all tags. */
export function makeCluster(overrides: Partial<ClusterFacts> = {}): ClusterFacts {
  const resourceGroup = overrides.resourceGroup ?? "rg-stores-east";
  const name = overrides.name ?? "store-0042";
  return {
    id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${resourceGroup}/providers/Microsoft.Kubernetes/connectedClusters/${name}`,
    subscriptionId: SUBSCRIPTION,
    resourceGroup,
    name,
    location: "eastus",
    tags: {},
    distribution: "k3s",
    ...overrides,
  };
}

/** Parses a policy written inline in a test. */
export function policyFrom(yaml: string): LoadedPolicy {
  return parsePolicy(yaml, "inline");
}

/**
 * One profile, one identity, one rule matching every cluster tagged `onboard=yes`. `identity` and
 * `profileExtra` are YAML fragments indented for their place.
 */
export function singleIdentityPolicy(identity: string, profileExtra = "", defaults = ""): string {
  return `
${defaults}
profiles:
  app:
    identities:
      - id: main
${identity}
${profileExtra}
rules:
  - match: { tags: { onboard: "yes" } }
    profiles: [app]
`;
}
