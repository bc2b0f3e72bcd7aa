import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";

import { startEmulator, type RunningEmulator } from "../../emulator/index.js";
import { createEmulatorCredential } from "../../lib/arm/emulatorCredential.js";
import { loadPolicy } from "../../lib/policy/index.js";
import type { ClusterReport } from "../../lib/reconcile/contract.js";
import { createReconciler } from "../../lib/reconcile/createReconciler.js";
import { buildArmEvent } from "../../local/armEvents.js";
import { startAzurite, type RunningAzurite } from "../../local/azurite.js";
import { startLocalHost, type LocalHost } from "../../local/localHost.js";
import { readDemoFleet, type DemoCluster } from "./demoFleet.js";

/** The package root (where host.json and examples/ live). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** Options of `runDemo`. */
export interface DemoOptions {
  seed: string;
  policy: string;
  /** Give up waiting after this long. @default 90000 */
  timeoutMs?: number;
  /** Progress lines (stderr). */
  progress: (line: string) => void;
}

/** What the demo ends with. */
export interface DemoResult {
  fleet: DemoCluster[];
  reports: ClusterReport[];
  /** Every cluster reached the status expected for it. */
  ok: boolean;
}

const SETTLED = new Set(["Converged", "ActionRequired", "Failed", "Skipped"]);

/**
 * The whole job on the embedded default: Azurite and the ARM emulator (demo profile), the fleet
 * seeded, one Event Grid `ResourceWriteSuccess` per cluster delivered to the real
 * `onClusterEvent`, the queue worker driven by the local host until every cluster settles.
 * Everything started is stopped, also when `signal` aborts.
 */
export async function runDemo(options: DemoOptions, signal: AbortSignal): Promise<DemoResult> {
  const started: { stop(): Promise<unknown> }[] = [];
  // The host first (bounded: a worker mid-reconcile may wait on a lease), then the services.
  const stopAll = async () => {
    for (const s of started.reverse())
      await Promise.race([s.stop().catch(() => undefined), sleep(5000)]);
  };
  try {
    options.progress("Starting Azurite and the local ARM emulator (not Azure)...");
    const azurite: RunningAzurite = await startAzurite();
    started.push(azurite);
    throwIfAborted(signal);
    const emulator = await startEmulator({
      profile: "demo",
      seed: options.seed,
      log: () => undefined,
    });
    started.push(emulator);
    throwIfAborted(signal);
    const host = await startDemoHost(options, azurite, emulator);
    started.push(host);

    const fleet = readDemoFleet(options.seed);
    options.progress(`Delivering one ResourceWriteSuccess event per cluster (${fleet.length})...`);
    for (const c of fleet) await host.deliverEvents(buildArmEvent({ resourceUri: c.id }));

    const reports = await waitForFleet(host, fleet, options, signal);
    const ok = fleet.every((c, i) => reports[i]?.status === c.expected);
    return { fleet, reports, ok };
  } catch (e) {
    // Ctrl-C reaches Azurite too (same process group): what fails after it is the interrupt.
    if (signal.aborted && !(e instanceof DemoInterrupted)) throwIfAborted(signal);
    throw e;
  } finally {
    await stopAll();
  }
}

async function startDemoHost(
  options: DemoOptions,
  azurite: RunningAzurite,
  emulator: RunningEmulator,
): Promise<LocalHost> {
  const policy = await loadPolicy({ path: options.policy });
  const subscriptions = [
    ...new Set(readDemoFleet(options.seed).map((c) => c.id.split("/").slice(0, 3).join("/"))),
  ];
  return startLocalHost({
    storageConnectionString: azurite.connectionString,
    hostJsonPath: join(PACKAGE_ROOT, "host.json"),
    allowedScopes: subscriptions,
    busyDelayMs: 300,
    minPollMs: 100,
    reconciler: (stores) =>
      createReconciler({
        policy,
        arm: {
          endpoint: emulator.url,
          caPem: emulator.caPem,
          credential: createEmulatorCredential(),
          pollIntervalMs: 250,
          retryDelayMs: 200,
          maxRetryDelayMs: 2000,
        },
        ...stores,
        delays: {
          waitForClusterMs: 1000,
          waitForIssuerMs: 1000,
          confirmGoneMs: 2000,
          retryFailedMs: 1000,
          throttledMs: 1000,
        },
        writeRetry: { attempts: 10, delayMs: 400 },
      }),
  });
}

async function waitForFleet(
  host: LocalHost,
  fleet: DemoCluster[],
  options: DemoOptions,
  signal: AbortSignal,
): Promise<ClusterReport[]> {
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  let last = "";
  for (;;) {
    const reports = await Promise.all(fleet.map((c) => host.runtime.status.getLastReport(c.id)));
    const line = fleet.map((c, i) => `${c.name}: ${reports[i]?.status ?? "Queued"}`).join(", ");
    if (line !== last) options.progress(line);
    last = line;
    if (reports.every((r) => r && SETTLED.has(r.status))) return reports as ClusterReport[];
    throwIfAborted(signal);
    if (Date.now() > deadline) throw new Error(`The fleet did not settle in time: ${line}`);
    await sleep(500);
  }
}

/** Thrown when the demo is interrupted (Ctrl-C); everything started is stopped first. */
export class DemoInterrupted extends Error {
  override readonly name = "DemoInterrupted";
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted)
    throw new DemoInterrupted("Interrupted: everything the demo started was stopped.");
}
