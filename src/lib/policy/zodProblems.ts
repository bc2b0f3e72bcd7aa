import type { z } from "zod";

import type { PolicyProblem } from "./policyValidationError.js";
import { formatPolicyPath } from "./policyPath.js";
import { RESERVED_KEY_MESSAGE } from "./checkReservedKeys.js";
import { allowedKeysAt } from "./schemaKeys.js";

const AUDIENCE_FIXED =
  'the audience is always "api://AzureADTokenExchange" and cannot be configured; remove this key';

/** Keys people try to set that the policy refuses on purpose, with the reason. */
const REFUSED_KEYS = new Map<string, string>([
  ["audience", AUDIENCE_FIXED],
  ["audiences", AUDIENCE_FIXED],
  [
    "issuer",
    "the issuer always comes from the cluster itself and cannot be configured; remove this key",
  ],
  ["__proto__", RESERVED_KEY_MESSAGE],
  ["constructor", RESERVED_KEY_MESSAGE],
  ["prototype", RESERVED_KEY_MESSAGE],
]);

const KINDS = new Map<string, string>([
  ["object", "a mapping (key: value)"],
  ["record", "a mapping (key: value)"],
  ["array", "a list"],
  ["string", "a string"],
  ["number", "a number"],
  ["int", "a whole number"],
  ["boolean", "true or false"],
]);

/**
 * Turns the schema's issues into problems with paths and messages that say what to fix. An
 * unknown key becomes one problem per key, at that key's path, listing the keys allowed there.
 *
 * @param schema - the schema that produced the issues (to list allowed keys).
 */
export function toPolicyProblems(
  issues: readonly z.core.$ZodIssue[],
  schema: z.core.$ZodType,
): PolicyProblem[] {
  return issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      const allowed = allowedKeysAt(schema, issue.path).join(", ");
      return issue.keys.map((key) => ({
        path: formatPolicyPath([...issue.path, key]),
        message:
          REFUSED_KEYS.get(key) ??
          `unknown key "${key}"; keys allowed here: ${allowed} (see docs/policy.md)`,
      }));
    }
    if (issue.code === "invalid_key") {
      const inner = issue.issues.map((i) => i.message).join("; ");
      return [{ path: formatPolicyPath(issue.path), message: `invalid key: ${inner}` }];
    }
    return [{ path: formatPolicyPath(issue.path), message: describeIssue(issue) }];
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code !== "invalid_type" || !issue.message.startsWith("Invalid input")) {
    return issue.message;
  }
  const expected = KINDS.get(issue.expected) ?? issue.expected;
  if (issue.input === undefined) {
    return `is required (${expected})`;
  }
  return `must be ${expected}, not ${describeInput(issue.input)}`;
}

function describeInput(input: unknown): string {
  if (input === null) {
    return "empty (null)";
  }
  return Array.isArray(input)
    ? "a list"
    : typeof input === "object"
      ? "a mapping"
      : `a ${typeof input}`;
}
