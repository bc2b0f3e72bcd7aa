import { readFileSync } from "node:fs";

import type { TokenCredential } from "@azure/core-auth";
import { DefaultAzureCredential } from "@azure/identity";

import { CLUSTER_API_VERSIONS } from "../lib/arm/connectedClusterJson.js";
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

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Refuses a --subscription that is not a subscription id. @throws CliError (usage) */
export function checkSubscriptionFlag(subscription: string): void {
  if (!GUID.test(subscription))
    throw new CliError(
      `--subscription must be a subscription id (a GUID), not "${subscription}".`,
      EXIT.usage,
    );
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
    if (!/^https:\/\/[^/\s]+/i.test(flags.emulator))
      throw new CliError(
        `--emulator must be the https URL the emulator printed (https://127.0.0.1:<port>), not "${flags.emulator}".`,
        EXIT.usage,
      );
    return {
      endpoint: flags.emulator,
      caPem: readCaFile(caPath),
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

function readCaFile(caPath: string): string {
  let pem: string;
  try {
    pem = readFileSync(caPath, "utf8");
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new CliError(
      `Cannot read the CA file "${caPath}" (${reason}): pass the path the emulator printed at start.`,
      EXIT.usage,
    );
  }
  if (!pem.includes("-----BEGIN CERTIFICATE-----"))
    throw new CliError(
      `"${caPath}" is not a PEM certificate: pass the CA file the emulator printed at start.`,
      EXIT.usage,
    );
  return pem;
}

/** Loads the policy from --policy, ARC_WI_POLICY_PATH or ARC_WI_POLICY. */
export async function loadCliPolicy(flags: { policy?: string }): Promise<LoadedPolicy> {
  if (!flags.policy && process.env.ARC_WI_POLICY_PATH && process.env.ARC_WI_POLICY)
    throw new CliError(
      "Both ARC_WI_POLICY_PATH and ARC_WI_POLICY are set: unset one (or pass --policy <file>, which wins).",
      EXIT.usage,
    );
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
  const apiVersion = flags.apiVersion ?? process.env.ARC_WI_CLUSTER_API_VERSION;
  if (apiVersion !== undefined && !CLUSTER_API_VERSIONS.includes(apiVersion))
    throw new CliError(
      `--api-version ${apiVersion} is not one whose clusters carry the OIDC issuer and workload identity: use one of ${CLUSTER_API_VERSIONS.join(", ")}.`,
      EXIT.usage,
    );
  const policy = await loadCliPolicy(flags);
  const connection = armConnection(flags);
  const fast = flags.emulator !== undefined;
  return createReconciler({
    policy,
    arm: {
      ...connection,
      clusterApiVersion: apiVersion,
      pollIntervalMs: fast ? 200 : undefined,
      retryDelayMs: fast ? 100 : undefined,
    },
    writeRetry: fast ? { delayMs: 200 } : undefined,
  });
}
