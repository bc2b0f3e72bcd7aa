import { open } from "node:fs/promises";

import { MAX_POLICY_CHARS, parsePolicy } from "./parsePolicy.js";
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

/** Bytes read at most: enough for MAX_POLICY_CHARS characters of UTF-8, and one more. */
const MAX_POLICY_BYTES = MAX_POLICY_CHARS * 4;

async function readPolicyFile(path: string): Promise<string> {
  const refuse = (message: string, cause?: unknown): never => {
    throw new PolicyValidationError([{ path: ROOT_PATH, message }], { source: path, cause });
  };
  let bytes: Buffer;
  try {
    bytes = await readAtMost(path, MAX_POLICY_BYTES + 1);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "unreadable";
    return refuse(
      `cannot read the policy file (${reason}); check ARC_WI_POLICY_PATH or --policy`,
      error,
    );
  }
  if (bytes.length > MAX_POLICY_BYTES)
    refuse(
      `the policy file is larger than ${MAX_POLICY_BYTES} bytes; a policy is a short YAML or JSON text`,
    );
  if (bytes.includes(0))
    refuse(
      "the policy file holds NUL bytes, so it is not a text file (saved as UTF-16? save it as UTF-8)",
    );
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    return refuse("the policy file is not UTF-8 text; save it as UTF-8", error);
  }
}

/** Reads a file's first `limit` bytes (a device such as /dev/zero never ends). */
async function readAtMost(path: string, limit: number): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(limit);
    let filled = 0;
    while (filled < limit) {
      const { bytesRead } = await handle.read(buffer, filled, limit - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}
