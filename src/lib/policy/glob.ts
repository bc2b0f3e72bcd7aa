/** Options of {@link matchesGlob}. */
export interface GlobOptions {
  /** Compare ignoring case (resource groups, subscriptions, locations: ARM ignores case). */
  ignoreCase: boolean;
}

/**
 * Matches `value` against a glob where `*` is any run of characters (also empty, also `/`) and
 * `?` is one character; every other character is literal. The whole value must match.
 */
export function matchesGlob(value: string, pattern: string, options: GlobOptions): boolean {
  const body = Array.from(pattern, (char) => {
    if (char === "*") {
      return "[\\s\\S]*";
    }
    return char === "?" ? "[\\s\\S]" : char.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }).join("");

  return new RegExp(`^${body}$`, options.ignoreCase ? "iu" : "u").test(value);
}

/** Whether `value` matches at least one of `patterns`. */
export function matchesAnyGlob(
  value: string,
  patterns: readonly string[],
  options: GlobOptions,
): boolean {
  return patterns.some((pattern) => matchesGlob(value, pattern, options));
}
