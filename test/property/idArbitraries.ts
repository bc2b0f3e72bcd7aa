/** Generators of resource ids: valid connectedCluster ids and hostile variants of them. */
import fc from "fast-check";

const RG_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_().";
const NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.";
const ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

/** The parts of a valid connectedCluster id. */
export interface ClusterParts {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

const chars = (alphabet: string) => fc.constantFrom(...alphabet.split(""));

/** A valid resource group name: 1-90 allowed characters, not ending with a period. */
export const resourceGroupArb = fc
  .tuple(fc.string({ unit: chars(RG_CHARS), maxLength: 40 }), chars(ALNUM))
  .map(([head, last]) => `${head}${last}`);

/** A valid connectedCluster name: 1-63 characters, starting with a letter or digit. */
export const clusterNameArb = fc
  .tuple(chars(ALNUM), fc.string({ unit: chars(NAME_CHARS), maxLength: 30 }))
  .map(([first, rest]) => `${first}${rest}`);

export const clusterPartsArb: fc.Arbitrary<ClusterParts> = fc.record({
  subscriptionId: fc.uuid(),
  resourceGroup: resourceGroupArb,
  name: clusterNameArb,
});

/** `/subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.Kubernetes/connectedClusters/<n>` */
export function clusterIdOf(parts: ClusterParts, casing: "canonical" | "lower" = "canonical") {
  const id = `/subscriptions/${parts.subscriptionId}/resourceGroups/${parts.resourceGroup}/providers/Microsoft.Kubernetes/connectedClusters/${parts.name}`;
  if (casing === "canonical") return id;
  return id
    .replace("/resourceGroups/", "/resourcegroups/")
    .replace("Microsoft.Kubernetes/connectedClusters", "microsoft.kubernetes/CONNECTEDCLUSTERS");
}

/** Text an attacker or a bug could put where an id goes. */
const hostileFragmentArb = fc.constantFrom(
  "/..",
  "/.",
  "//",
  "%2e%2e",
  "?api-version=1",
  "#x",
  " ",
  "\\",
  "\u0000",
  "/providers/Microsoft.KubernetesConfiguration/extensions/flux",
  "/providers/Microsoft.Resources/tags/default",
  "/extra",
  "é",
  "\u202e",
  ",;=/",
);

/** A valid id, spoilt in one of many ways (or left alone now and then). */
export const hostileClusterIdArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: clusterPartsArb.map((p) => clusterIdOf(p)), weight: 5 },
  { arbitrary: clusterPartsArb.map((p) => clusterIdOf(p, "lower")), weight: 3 },
  fc
    .tuple(clusterPartsArb, hostileFragmentArb, fc.nat())
    .map(([p, bad, at]) => insertAt(clusterIdOf(p), bad, at)),
  fc.tuple(clusterPartsArb, hostileFragmentArb).map(([p, bad]) => `${clusterIdOf(p)}${bad}`),
  clusterPartsArb.map((p) => clusterIdOf({ ...p, name: `${p.name}${"x".repeat(70)}` })),
  clusterPartsArb.map((p) => clusterIdOf({ ...p, subscriptionId: p.subscriptionId.slice(1) })),
  fc.string({ maxLength: 120 }),
  fc.string({ unit: "grapheme", maxLength: 60 }).map((s) => `/subscriptions/${s}`),
);

function insertAt(text: string, fragment: string, at: number): string {
  const index = at % (text.length + 1);
  return `${text.slice(0, index)}${fragment}${text.slice(index)}`;
}
