import { readFile } from "node:fs/promises";

import { parsePolicy } from "./parsePolicy.js";
import { ROOT_PATH } from "./policyPath.js";
import type { LoadedPolicy } from "./policyTypes.js";
import { PolicyValidationError } from "./policyValidationError.js";

/** Where to load the policy from: exactly one of the two. */
export interface LoadPolicyOptions {
  /** Path of a YAML or JSON file (`ARC_WI_POLICY_PATH`, `--policy`). */
  path?: string;
  /** The document itself (`ARC_WI_POLICY`). */
  inline?: string;
}

/**
 * Loads and validates the policy from a file or from inline text. An empty or blank setting
 * counts as not given (app settings are often present but empty).
 *
 * @returns the validated policy; `source` is the path, or `"inline"`.
 * @throws {@link PolicyValidationError} when neither or both are given, the file cannot be read,
 * or the document is invalid (every problem listed).
 */
export async function loadPolicy(options: LoadPolicyOptions): Promise<LoadedPolicy> {
  const path = isGiven(options.path) ? options.path : undefined;
  const inline = isGiven(options.inline) ? options.inline : undefined;

  if ((path === undefined) === (inline === undefined)) {
    const which = path === undefined ? "neither was given" : "both were given";
    const message = `set exactly one of ARC_WI_POLICY_PATH (a file) or ARC_WI_POLICY (inline YAML or JSON); ${which}`;
    throw new PolicyValidationError([{ path: ROOT_PATH, message }], { source: "(none)" });
  }
  if (inline !== undefined) {
    return parsePolicy(inline, "inline");
  }
  return parsePolicy(await readPolicyFile(path ?? ""), path ?? "");
}

function isGiven(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== "";
}

async function readPolicyFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "unreadable";
    const message = `cannot read the policy file (${reason}); check ARC_WI_POLICY_PATH or --policy`;
    throw new PolicyValidationError([{ path: ROOT_PATH, message }], { source: path, cause: error });
  }
}
