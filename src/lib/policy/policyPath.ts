/** Path shown for a problem that concerns the whole document. */
export const ROOT_PATH = "(root)";

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/**
 * Formats a path as `profiles.payments.identities[0].serviceAccounts[1]`. Keys that are not plain
 * identifiers (tag keys with dots or spaces) are quoted: `rules[0].match.tags["site.type"]`.
 *
 * @returns {@link ROOT_PATH} for an empty path.
 */
export function formatPolicyPath(segments: readonly PropertyKey[]): string {
  let out = "";

  for (const segment of segments) {
    if (typeof segment === "number") {
      out += `[${segment}]`;
    } else {
      const key = String(segment);
      out += PLAIN_KEY.test(key) ? (out === "" ? key : `.${key}`) : `[${JSON.stringify(key)}]`;
    }
  }

  return out === "" ? ROOT_PATH : out;
}
