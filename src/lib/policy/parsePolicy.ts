import { parseDocument } from "yaml";
import type { z } from "zod";

import { checkIdentityScopes } from "./checkIdentityScopes.js";
import { checkPolicyReferences } from "./checkPolicyReferences.js";
import { checkReservedKeys } from "./checkReservedKeys.js";
import { checkRoleAssignments } from "./checkRoleAssignments.js";
import { formatPolicyPath, ROOT_PATH } from "./policyPath.js";
import { asRecord } from "./rawDocument.js";
import { policyIdSchema } from "./policyFields.js";
import { policyDocumentSchema, profileSchema } from "./policySchema.js";
import type { LoadedPolicy } from "./policyTypes.js";
import { PolicyValidationError, type PolicyProblem } from "./policyValidationError.js";
import { computePolicyVersion } from "./policyVersion.js";
import { toPolicyProblems } from "./zodProblems.js";

/** Largest policy text accepted (an app setting or a file; real policies are a few KB). */
export const MAX_POLICY_CHARS = 1_000_000;

/**
 * Parses and validates a policy written in YAML or JSON (JSON is read as YAML 1.2, whose core
 * schema keeps `yes`/`no` and `on`/`off` as strings).
 *
 * @param text - the document.
 * @param source - where it came from (a file path or `"inline"`), for messages and reports.
 * @returns the validated document with defaults filled in, its version and its source.
 * @throws {@link PolicyValidationError} listing every problem found, each with its path.
 */
export function parsePolicy(text: string, source: string): LoadedPolicy {
  const raw = readDocument(text, source);
  const result = policyDocumentSchema.safeParse(raw, { reportInput: true });

  const schemaProblems = result.success
    ? []
    : toPolicyProblems(
        [...result.error.issues, ...misnamedProfileIssues(raw)],
        policyDocumentSchema,
      );
  const problems = sortUnique([...schemaProblems, ...crossCheck(raw)]);
  if (!result.success || problems.length > 0) {
    throw new PolicyValidationError(problems, { source });
  }

  return { document: result.data, version: computePolicyVersion(result.data), source };
}

/**
 * A profile whose key is invalid is refused for its key alone, and the schema does not look
 * inside it; check it here, so one round of fixes finds every problem.
 */
function misnamedProfileIssues(raw: unknown): z.core.$ZodIssue[] {
  const profiles = asRecord(asRecord(raw)?.profiles);
  if (profiles === undefined) return [];
  return Object.entries(profiles)
    .filter(([key]) => !policyIdSchema.safeParse(key).success)
    .flatMap(([key, value]) => {
      const result = profileSchema.safeParse(value, { reportInput: true });
      if (result.success) return [];
      return result.error.issues.map((issue) => ({
        ...issue,
        path: ["profiles", key, ...issue.path],
      }));
    });
}

function crossCheck(raw: unknown): PolicyProblem[] {
  const found = [
    ...checkReservedKeys(raw),
    ...checkPolicyReferences(raw),
    ...checkIdentityScopes(raw),
    ...checkRoleAssignments(raw),
  ];
  return found.map((p) => ({ path: formatPolicyPath(p.path), message: p.message }));
}

const PATH_ORDER = new Intl.Collator("en", { numeric: true });

/** Sorted by path; a problem both the schema and a cross-check found is listed once. */
function sortUnique(problems: PolicyProblem[]): PolicyProblem[] {
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = `${p.path}\n${p.message}`;
    const isNew = !seen.has(key);
    seen.add(key);
    return isNew;
  });
  // Numbers in paths compare as numbers: serviceAccounts[2] before serviceAccounts[10].
  return unique.sort((a, b) => PATH_ORDER.compare(a.path, b.path));
}

function readDocument(text: string, source: string): unknown {
  if (text.length > MAX_POLICY_CHARS) {
    const message = `the policy has ${text.length} characters, more than the ${MAX_POLICY_CHARS} accepted`;
    throw new PolicyValidationError([{ path: ROOT_PATH, message }], { source });
  }

  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((error) => ({
      path: ROOT_PATH,
      message: `not valid YAML or JSON${where(error.linePos?.[0])}: ${firstLine(error.message)}`,
    }));
    throw new PolicyValidationError(problems, { source, cause: doc.errors[0] });
  }

  const raw = toPlainData(doc, source);
  if (raw === null || raw === undefined) {
    const message =
      "the policy is empty; it needs at least profiles and rules (see docs/policy.md)";
    throw new PolicyValidationError([{ path: ROOT_PATH, message }], { source });
  }
  return raw;
}

function toPlainData(doc: ReturnType<typeof parseDocument>, source: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (error) {
    // The yaml library refuses alias bombs ("billion laughs") here rather than at parse time.
    const message = `the document cannot be expanded: ${error instanceof Error ? error.message : String(error)}`;
    throw new PolicyValidationError([{ path: ROOT_PATH, message }], { source, cause: error });
  }
}

function where(position: { line: number; col: number } | undefined): string {
  return position === undefined ? "" : ` at line ${position.line}, column ${position.col}`;
}

/** The parser's message without the position it repeats, cut to a readable length. */
function firstLine(message: string): string {
  const line = (message.split("\n", 1)[0] ?? message).replace(/ at line \d+, column \d+:?$/, "");
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
