import { createHash } from "node:crypto";

/** Length of the version string (hex characters of the SHA-256). */
export const POLICY_VERSION_LENGTH = 16;

/**
 * The version of a policy: the first 16 hex characters of the SHA-256 of its canonical JSON
 * (keys sorted, no whitespace), so YAML and JSON with the same content, or a reformatted file,
 * keep their version. `$schema` (an editor hint) is left out.
 *
 * @param document - the validated document, defaults filled in.
 */
export function computePolicyVersion(document: object): string {
  const content: Record<string, unknown> = { ...document };
  delete content.$schema;
  const canonical = toCanonicalJson(content);
  return createHash("sha256")
    .update(canonical, "utf8")
    .digest("hex")
    .slice(0, POLICY_VERSION_LENGTH);
}

/** JSON with object keys sorted at every level; `undefined` members are dropped as JSON does. */
export function toCanonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if (typeof value !== "object" || value === null) {
    return value;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, member]) => [key, sortKeys(member)] as const);
  return Object.fromEntries(entries);
}
