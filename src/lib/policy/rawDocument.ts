/**
 * Tolerant readers over a policy document that has not passed the schema yet. The cross-checks use
 * them so that a document with a typo in one place still gets its other problems reported in the
 * same error.
 */

/** A plain object, or undefined for anything else. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** An array, or an empty one for anything else. */
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A string, or undefined for anything else. */
export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A problem found by a cross-check, with its path as segments. */
export interface RawProblem {
  path: PropertyKey[];
  message: string;
}
