import { request } from "node:https";

import type { RunningEmulator, RequestLogEntry } from "../../src/emulator/index.js";
import { createEmulatorCredential } from "../../src/lib/arm/emulatorCredential.js";
import { parsePolicy } from "../../src/lib/policy/index.js";
import type { EngineStores } from "../../src/functions/runtime/buildAppRuntime.js";
import type { Logger } from "../../src/lib/log/logger.js";
import { createReconciler } from "../../src/lib/reconcile/createReconciler.js";

/** The e2e subscription (the scope the app is allowed). */
export const E2E_SUB = "00000000-0000-0000-0000-0000000000e2";

/**
 * The tests' policy: plants (tag role=plant) get a per-cluster identity with `plantAccounts`;
 * stores (role=store) share one identity.
 */
export function plantAndStorePolicy(plantAccounts: string[]): string {
  return `
profiles:
  plant:
    identities:
      - id: mes
        scope: cluster
        name: id-{cluster}-mes
        resourceGroup: rg-plant-identities
        serviceAccounts: [${plantAccounts.join(", ")}]
        onRemove: delete
  store:
    identities:
      - id: payments
        scope: shared
        name: id-payments
        resourceGroup: rg-shared-identities
        serviceAccounts: [payments/api]
rules:
  - name: plants
    match: { tags: { role: plant } }
    profiles: [plant]
  - name: stores
    match: { tags: { role: store } }
    profiles: [store]
`;
}

/** The Function app tests' policy: plants with two service accounts. */
export const E2E_POLICY = plantAndStorePolicy(["mes/collector", "mes/uploader"]);

/** Engine options at the emulator's pace (ms instead of minutes). */
export const FAST_ENGINE = {
  writeRetry: { attempts: 8, delayMs: 10 },
  // The `test` profile does not throttle: pace under ARM's buckets only, not the identity service's.
  pacing: { limits: { identityService: false as const } },
  delays: {
    waitForClusterMs: 1000,
    waitForIssuerMs: 1000,
    confirmGoneMs: 1000,
    retryFailedMs: 1000,
    throttledMs: 1000,
  },
};
export const FAST_ARM = { pollIntervalMs: 5, retryDelayMs: 5, maxRetryDelayMs: 50 };

/** The real engine against the emulator, over the app's stores. */
export function emulatorReconciler(emulator: RunningEmulator, logger?: Logger) {
  return (stores: EngineStores) =>
    createReconciler({
      ...FAST_ENGINE,
      policy: parsePolicy(E2E_POLICY, "inline"),
      arm: {
        endpoint: emulator.url,
        caPem: emulator.caPem,
        credential: createEmulatorCredential(),
        ...FAST_ARM,
      },
      ...stores,
      ...(logger ? { logger } : {}),
    });
}

/** The id of an e2e cluster. */
export function e2eClusterId(name: string, resourceGroup = "rg-edge"): string {
  return `/subscriptions/${E2E_SUB}/resourceGroups/${resourceGroup}/providers/Microsoft.Kubernetes/connectedClusters/${name}`;
}

/** Seeds (or replaces) a connected K3s cluster with OIDC off. */
export function seedE2eCluster(
  emulator: RunningEmulator,
  name: string,
  tags: Record<string, string>,
): string {
  emulator.seed({
    clusters: [
      {
        subscriptionId: E2E_SUB,
        resourceGroup: "rg-edge",
        name,
        location: "eastus",
        distribution: "k3s",
        tags,
      },
    ],
  });
  return e2eClusterId(name);
}

/** Writes and deletes in the request log. */
export function writesIn(log: readonly RequestLogEntry[]): RequestLogEntry[] {
  return log.filter((e) => e.kind !== "read");
}

/** Calls the emulator as a client would (any bearer token), returning status and JSON body. */
export function armCall(
  emulator: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const url = new URL(
    `${path}${path.includes("?") ? "&" : "?"}api-version=${apiVersionOf(path)}`,
    emulator.url,
  );
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: emulator.caPem,
        headers: { authorization: "Bearer local", "content-type": "application/json" },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: text ? (JSON.parse(text) as unknown) : undefined,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

function apiVersionOf(path: string): string {
  if (path.includes("Microsoft.Authorization")) return "2022-04-01";
  return path.includes("ManagedIdentity") ? "2024-11-30" : "2026-05-01";
}
