import { readFileSync } from "node:fs";

import type { TokenCredential } from "@azure/core-auth";
import { DefaultAzureCredential } from "@azure/identity";

import { createEmulatorCredential } from "../lib/arm/emulatorCredential.js";
import { loadPolicy, type LoadedPolicy } from "../lib/policy/index.js";
import { createReconciler } from "../lib/reconcile/createReconciler.js";
import type { Reconciler } from "../lib/reconcile/contract.js";
import { CliError, EXIT } from "./exitCodes.js";

/** Flags shared by the commands that talk to ARM. */
export interface ArmFlags {
  emulator?: string;
  ca?: string;
  policy?: string;
  apiVersion?: string;
}

/** Where ARM is and how we authenticate, from flags and environment. */
export function armConnection(flags: ArmFlags): {
  endpoint: string;
  caPem?: string;
  credential: TokenCredential;
} {
  if (flags.emulator) {
    const caPath = flags.ca ?? process.env.ARC_WI_EMULATOR_CA;
    if (!caPath) {
      throw new CliError(
        "--emulator needs the emulator's CA: pass --ca <path> (the path the emulator printed at start) or set ARC_WI_EMULATOR_CA.",
        EXIT.usage,
      );
    }
    return {
      endpoint: flags.emulator,
      caPem: readFileSync(caPath, "utf8"),
      credential: createEmulatorCredential(),
    };
  }
  const endpoint = process.env.ARC_WI_ARM_ENDPOINT ?? "https://management.azure.com";
  const authorityHost = process.env.ARC_WI_AUTHORITY_HOST;
  return {
    endpoint,
    credential: new DefaultAzureCredential(authorityHost ? { authorityHost } : {}),
  };
}

/** Loads the policy from --policy, ARC_WI_POLICY_PATH or ARC_WI_POLICY. */
export async function loadCliPolicy(flags: { policy?: string }): Promise<LoadedPolicy> {
  const path = flags.policy ?? process.env.ARC_WI_POLICY_PATH;
  const inline = path ? undefined : process.env.ARC_WI_POLICY;
  if (!path && !inline) {
    throw new CliError(
      "No policy: pass --policy <file> or set ARC_WI_POLICY_PATH (a file) or ARC_WI_POLICY (inline YAML/JSON).",
      EXIT.usage,
    );
  }
  return loadPolicy(path ? { path } : { inline });
}

/** The engine as the CLI uses it: in-process locks, no status store (so it scans to prune). */
export async function cliReconciler(flags: ArmFlags): Promise<Reconciler> {
  const policy = await loadCliPolicy(flags);
  const connection = armConnection(flags);
  const fast = flags.emulator !== undefined;
  return createReconciler({
    policy,
    arm: {
      ...connection,
      clusterApiVersion: flags.apiVersion ?? process.env.ARC_WI_CLUSTER_API_VERSION,
      pollIntervalMs: fast ? 200 : undefined,
      retryDelayMs: fast ? 100 : undefined,
    },
    writeRetry: fast ? { delayMs: 200 } : undefined,
  });
}
