import type { z } from "zod";

import type { PolicyProblem } from "./policyValidationError.js";
import { formatPolicyPath } from "./policyPath.js";

/** Keys people try to set that the policy refuses on purpose, with the reason. */
const REFUSED_KEYS: Record<string, string> = {
  audience:
    'the audience is always "api://AzureADTokenExchange" and cannot be configured; remove this key',
  audiences:
    'the audience is always "api://AzureADTokenExchange" and cannot be configured; remove this key',
  issuer:
    "the issuer always comes from the cluster itself and cannot be configured; remove this key",
};

/**
 * Turns the schema's issues into problems with paths and messages that say what to fix. An
 * unknown key becomes one problem per key, at that key's path.
 */
export function toPolicyProblems(issues: readonly z.core.$ZodIssue[]): PolicyProblem[] {
  return issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        path: formatPolicyPath([...issue.path, key]),
        message:
          REFUSED_KEYS[key] ??
          `unknown key "${key}"; check its spelling and place (see docs/policy.md)`,
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
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return "is required";
  }
  return issue.message;
}
