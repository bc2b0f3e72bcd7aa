/** The example policies, loaded once, with the tag keys each one reads. */
import { readFileSync } from "node:fs";

import fc from "fast-check";

import { parsePolicy, type ClusterFacts, type LoadedPolicy } from "../../src/lib/policy/index.js";
import { clusterNameArb } from "./idArbitraries.js";
import {
  mostly,
  plainValueArb,
  serviceAccountListArb,
  tagSetArb,
  tagValueArb,
  type TagSpec,
} from "./tagArbitraries.js";

/** An example policy and the tags its rules and templates read. */
export interface ExamplePolicy {
  file: string;
  policy: LoadedPolicy;
  tags: TagSpec;
  resourceGroups: string[];
}

function load(file: string, tags: TagSpec, resourceGroups: string[]): ExamplePolicy {
  const text = readFileSync(new URL(`../../examples/${file}`, import.meta.url), "utf8");
  return { file, policy: parsePolicy(text, file), tags, resourceGroups };
}

const optOut = fc.oneof({ arbitrary: tagValueArb, weight: 4 }, fc.constant("disabled"));

export const EXAMPLE_POLICIES: ExamplePolicy[] = [
  load(
    "retail-stores.policy.yaml",
    {
      "arc-wi": optOut,
      "site-type": mostly(fc.constant("store")),
      environment: mostly(fc.constantFrom("prod", "staging")),
      store: mostly(plainValueArb),
    },
    ["rg-stores-east", "rg-stores-west", "rg-lab"],
  ),
  load(
    "manufacturing-plants.policy.yaml",
    {
      "arc-wi": optOut,
      plant: mostly(plainValueArb),
      line: tagValueArb,
      "wi-extra-serviceaccounts": mostly(serviceAccountListArb),
    },
    ["rg-plant-01", "rg-plant-02", "rg-other"],
  ),
  load(
    "mixed-fleet.policy.yaml",
    { "arc-wi": optOut, onboard: mostly(fc.constant("true")), team: mostly(plainValueArb) },
    ["rg-apps", "rg-team-x"],
  ),
];

const SUBSCRIPTIONS = [
  "0b1f6471-1bf0-4dda-aec3-111122223333",
  "22222222-2222-2222-2222-222222222222",
];

/** Facts of a cluster as the engine reads them, with tags over the policy's keys. */
export function clusterFactsArb(example: ExamplePolicy): fc.Arbitrary<ClusterFacts> {
  return fc
    .record({
      subscriptionId: fc.oneof(
        { arbitrary: fc.constant(SUBSCRIPTIONS[0]!), weight: 5 },
        fc.constant(SUBSCRIPTIONS[1]!),
      ),
      resourceGroup: fc.constantFrom(...example.resourceGroups),
      name: clusterNameArb,
      location: fc.constantFrom("eastus", "westeurope", "malaysiasouth", "newzealandnorth", ""),
      tags: tagSetArb(example.tags),
      distribution: fc.constantFrom("k3s", "openshift", "eks", undefined),
      kind: fc.constantFrom(undefined, "ProvisionedCluster"),
    })
    .map((f) => ({
      ...f,
      id: `/subscriptions/${f.subscriptionId}/resourceGroups/${f.resourceGroup}/providers/Microsoft.Kubernetes/connectedClusters/${f.name}`,
    }));
}

/** A tag's value looked up as the policy does (key case-insensitive; ambiguous → undefined). */
export function lookupTag(tags: Record<string, string>, key: string): string | undefined {
  const values = Object.entries(tags)
    .filter(([k]) => k.toLowerCase() === key.toLowerCase())
    .map(([, v]) => v);
  return new Set(values).size === 1 ? values[0] : undefined;
}

/** The name a template yields for a cluster, computed independently of the policy code. */
export function renderExpected(template: string, cluster: ClusterFacts): string | undefined {
  let missing = false;
  const name = template.replace(/\{([^{}]+)\}/g, (_m, inner: string) => {
    if (inner === "cluster") return cluster.name;
    if (inner === "resourceGroup") return cluster.resourceGroup;
    if (inner === "location") return cluster.location;
    if (inner === "subscription") return cluster.subscriptionId;
    const value = lookupTag(cluster.tags, inner.replace(/^tag:/, ""));
    if (value === undefined) missing = true;
    return value ?? "";
  });
  return missing ? undefined : name;
}
