import { readFile } from "node:fs/promises";

import { DefaultAzureCredential } from "@azure/identity";

import { createEmulatorCredential } from "../lib/arm/emulatorCredential.js";
import { loadAppSettings } from "../lib/config/loadAppSettings.js";
import { loadPolicy } from "../lib/policy/index.js";
import { createReconciler, type ReconcilerOptions } from "../lib/reconcile/createReconciler.js";
import { createConsoleLogger } from "../functions/runtime/consoleLogger.js";
import type { LocalHostOptions } from "./localHost.js";

/**
 * Variables the local host reads besides the app settings (never set in Azure):
 * - `ARC_WI_LOCAL_ARM_CA_PATH`: the emulator's CA file; ARM is then called with the emulator's
 *   token-less credential and that CA trusted.
 * - `ARC_WI_LOCAL_ENGINE_OPTIONS`: JSON laid over the engine's options (`delays`, `writeRetry`,
 *   and `arm` retry/poll fields), so tests run at the emulator's pace.
 * - `ARC_WI_LOCAL_TIMER_INTERVAL_MS`: fire the timers at this interval.
 * - `ARC_WI_LOCAL_BUSY_DELAY_MS`: base delay before a message for a busy cluster comes back.
 */
export const LOCAL_ENV = {
  caPath: "ARC_WI_LOCAL_ARM_CA_PATH",
  engineOptions: "ARC_WI_LOCAL_ENGINE_OPTIONS",
  timerIntervalMs: "ARC_WI_LOCAL_TIMER_INTERVAL_MS",
  busyDelayMs: "ARC_WI_LOCAL_BUSY_DELAY_MS",
} as const;

/**
 * Builds the local host's options from the environment: the app settings (validated as the
 * Function app validates them) plus {@link LOCAL_ENV}.
 * @throws AppSettingsError or PolicyValidationError naming every problem.
 */
export async function localHostOptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
): Promise<LocalHostOptions> {
  const settings = loadAppSettings(env);
  if (!("connectionString" in settings.storage)) {
    const message = "The local host needs AzureWebJobsStorage as Azurite's connection string.";
    throw Object.assign(new Error(message), { code: "LocalStorageNotSupported" });
  }
  const policy = await loadPolicy(settings.policy);
  const caPath = env[LOCAL_ENV.caPath];
  const caPem = caPath ? await readFile(caPath, "utf8") : undefined;
  const credential = caPem
    ? createEmulatorCredential()
    : new DefaultAzureCredential({ authorityHost: settings.authorityHost });
  const extra = readEngineOptions(env[LOCAL_ENV.engineOptions]);
  const timerIntervalMs = Number(env[LOCAL_ENV.timerIntervalMs] ?? "0");
  const busyDelayMs = Number(env[LOCAL_ENV.busyDelayMs] ?? "0");

  return {
    storageConnectionString: settings.storage.connectionString,
    reconciler: (stores) =>
      createReconciler({
        ...extra,
        policy,
        arm: {
          ...extra.arm,
          endpoint: settings.armEndpoint,
          credential,
          clusterApiVersion: settings.clusterApiVersion,
          ...(caPem ? { caPem } : {}),
        },
        ...stores,
        logger: createConsoleLogger({ component: "engine" }, undefined, "warn"),
      }),
    allowedScopes: settings.allowedScopes,
    ...(settings.appPrincipalId ? { appPrincipalId: settings.appPrincipalId } : {}),
    waitDeadlineMs: settings.waitDeadlineMs,
    ...(timerIntervalMs > 0 ? { timerIntervalMs } : {}),
    ...(busyDelayMs > 0 ? { busyDelayMs } : {}),
  };
}

function readEngineOptions(text: string | undefined): Partial<ReconcilerOptions> {
  try {
    return JSON.parse(text ?? "{}") as Partial<ReconcilerOptions>;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new Error(`${LOCAL_ENV.engineOptions} is not JSON: ${reason}`, { cause: e });
  }
}
