import { DefaultAzureCredential } from "@azure/identity";

import { loadAppSettings } from "../../lib/config/loadAppSettings.js";
import { createClusterEventPublisher } from "../../lib/events/clusterEventPublisher.js";
import { loadPolicy } from "../../lib/policy/index.js";
import { createReconciler } from "../../lib/reconcile/createReconciler.js";
import type { AppRuntime } from "./appRuntime.js";
import { buildAppRuntime } from "./buildAppRuntime.js";
import { createConsoleLogger } from "./consoleLogger.js";

/**
 * Builds the runtime the Functions host uses: settings validated first (every problem named),
 * the policy loaded and validated, the app's managed identity for ARM, storage and Event Grid.
 * @throws AppSettingsError or PolicyValidationError, before anything is written.
 */
export async function createAppRuntimeFromSettings(
  env: Record<string, string | undefined> = process.env,
): Promise<AppRuntime> {
  const settings = loadAppSettings(env);
  const credential = new DefaultAzureCredential({ authorityHost: settings.authorityHost });
  const policy = await loadPolicy(settings.policy);
  const storage =
    "connectionString" in settings.storage
      ? settings.storage
      : { accountName: settings.storage.accountName, credential };
  const publisher = settings.eventGridTopicEndpoint
    ? createClusterEventPublisher(settings.eventGridTopicEndpoint, credential)
    : undefined;

  return buildAppRuntime({
    storage,
    reconciler: (stores) =>
      createReconciler({
        policy,
        arm: {
          endpoint: settings.armEndpoint,
          credential,
          clusterApiVersion: settings.clusterApiVersion,
        },
        ...stores,
        logger: createConsoleLogger({ component: "engine" }),
      }),
    allowedScopes: settings.allowedScopes,
    ...(settings.appPrincipalId ? { appPrincipalId: settings.appPrincipalId } : {}),
    waitDeadlineMs: settings.waitDeadlineMs,
    ...(publisher ? { publisher } : {}),
  });
}
