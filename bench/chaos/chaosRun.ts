/**
 * The chaos run: the emulator injects faults on a share of calls, events are duplicated and
 * reordered, some clusters are deleted midway, and worker processes are killed at random
 * points and restarted. Once the queue is quiet the invariants are checked; then one drift
 * sweep runs (the app's level-triggered repair) and they are checked again.
 */
import { closeSync, openSync, rmSync } from "node:fs";
import { setTimeout as wait } from "node:timers/promises";

import { resolveConfig } from "../../src/emulator/index.js";
import { createRandom } from "../../src/emulator/faults.js";
import { NAMES } from "../../src/lib/config/names.js";
import { parsePolicy } from "../../src/lib/policy/index.js";
import { startAzurite, type RunningAzurite } from "../../src/local/azurite.js";
import { startLocalHost, type LocalHost } from "../../src/local/localHost.js";
import { LOCAL_ENV, localHostOptionsFromEnv } from "../../src/local/localHostFromEnv.js";
import { fleetClusterId } from "../benchFleet.js";
import { forkEmulator, type EmulatorChild } from "../emulatorClient.js";
import { CLUSTER_API, callArmPatiently } from "./armReader.js";
import { batches, deleteEvents, shuffle, writeEvents } from "./chaosEvents.js";
import {
  chaosFacts,
  chaosSeed,
  CHAOS_POLICY_TEXT,
  FOREIGN_IDENTITY_ID,
  IDENTITY_GROUP,
  workerEnv,
} from "./chaosSetup.js";
import { WorkerPool } from "./chaosWorkers.js";
import { checkInvariants, type InvariantResult } from "./invariants.js";

export interface ChaosOptions {
  seed: number;
  clusters: number;
  deletes: number;
  kills: number;
  workers: number;
  faultRate: number;
  timeScale: number;
  quietTimeoutMs: number;
  /** File the workers' logs are appended to. */
  logPath?: string;
  /** Says what the run is doing (the entry writes it to stderr). */
  progress?: (line: string) => void;
}

export interface ChaosReport {
  counts: {
    requests: number;
    faultsInjected: number;
    kills: number;
    workerStarts: number;
    eventsDelivered: number;
    uniqueEvents: number;
    clusters: number;
    deleted: number;
  };
  afterRun: InvariantResult[];
  afterSweep: InvariantResult[];
}

/** Waits `ms`; rejects with an AbortError as soon as `signal` is aborted. */
const sleep = (ms: number, signal: AbortSignal) => wait(ms, undefined, { signal });

async function waitQuiet(host: LocalHost, timeoutMs: number, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let quiet = 0; quiet < 4;) {
    if (Date.now() > deadline) throw new Error(`the queue was not quiet after ${timeoutMs} ms`);
    quiet = (await host.runtime.queue.approximateCount()) === 0 ? quiet + 1 : 0;
    await sleep(500, signal);
  }
}

async function check(
  emulator: EmulatorChild,
  remaining: number[],
  doomed: number[],
): Promise<InvariantResult[]> {
  return checkInvariants({
    baseUrl: emulator.url,
    caPem: emulator.caPem,
    policy: parsePolicy(CHAOS_POLICY_TEXT, "chaos"),
    clusters: remaining.map(chaosFacts),
    deleted: doomed.map(chaosFacts),
    subscriptionId: IDENTITY_GROUP.subscriptionId,
    foreign: [FOREIGN_IDENTITY_ID],
    log: await emulator.requestLog(),
  });
}

/** Delivers the events in batches while killing workers at seeded random points. */
async function disturb(args: {
  host: LocalHost;
  pool: WorkerPool;
  emulator: EmulatorChild;
  options: ChaosOptions;
  random: () => number;
  doomed: number[];
  signal: AbortSignal;
}) {
  const { host, pool, emulator, options, random, doomed, signal } = args;
  const all = Array.from({ length: options.clusters }, (_, i) => fleetClusterId(i));
  const first = batches(writeEvents(all, random), 6);
  const second = batches(deleteEvents(doomed.map(fleetClusterId), random), 3);
  const killAt = new Set(Array.from({ length: options.kills }, () => Math.floor(random() * 9)));
  let delivered = 0;
  const deliveries = [...first, ...second];
  for (const [step, batch] of deliveries.entries()) {
    if (step === first.length) {
      for (const i of doomed)
        await callArmPatiently({
          baseUrl: emulator.url,
          caPem: emulator.caPem,
          method: "DELETE",
          path: `${fleetClusterId(i)}?api-version=${CLUSTER_API}`,
        });
    }
    await host.deliverEvents(batch);
    delivered += batch.length;
    if (killAt.has(step)) await pool.killAndReplace(Math.floor(random() * options.workers));
    await sleep(300 + random() * 1200, signal);
  }
  while (pool.kills < options.kills) {
    await pool.killAndReplace(Math.floor(random() * options.workers));
    await sleep(500 + random() * 1500, signal);
  }
  return { delivered, unique: options.clusters + 2 * doomed.length };
}

/** What a run has started so far; each is stopped at the end, whatever happened. */
interface Started {
  emulator?: EmulatorChild;
  azurite?: RunningAzurite;
  pool?: WorkerPool;
  host?: LocalHost;
  caPath?: string;
}

/** Stops what was started, newest first. */
async function stopStarted(started: Started): Promise<void> {
  await started.pool?.stop();
  await started.host?.stop();
  await started.azurite?.stop();
  await started.emulator?.stop();
  if (started.caPath) rmSync(started.caPath, { force: true });
}

/** For an exit that cannot wait (a second Ctrl-C): kill every child at once. */
function killStarted(started: Started): void {
  started.pool?.killNow();
  started.azurite?.killNow();
  started.emulator?.killNow();
  if (started.caPath) rmSync(started.caPath, { force: true });
}

/**
 * Runs the whole chaos scenario and returns its counts and invariant results. Whatever ends it
 * (an error, `signal` aborted by Ctrl-C, or the process exiting), the emulator, Azurite and
 * every worker are stopped and the CA file is removed.
 * @throws an AbortError once `signal` is aborted.
 */
export async function runChaos(
  options: ChaosOptions,
  signal: AbortSignal = new AbortController().signal,
): Promise<ChaosReport> {
  const logFd = options.logPath ? openSync(options.logPath, "a") : undefined;
  const started: Started = {};
  const onExit = () => killStarted(started);
  process.once("exit", onExit);
  try {
    const patch = {
      timeScale: options.timeScale,
      throttling: { retryAfterStyle: "ms" as const },
      faults: { rate: 0, seed: options.seed },
    };
    // Each start-up step is checked against the signal: an interrupt starts nothing more.
    const emulator = (started.emulator = await forkEmulator({ profile: "demo", config: patch }));
    signal.throwIfAborted();
    const azurite = (started.azurite = await startAzurite());
    signal.throwIfAborted();
    const env = workerEnv({
      storage: azurite.connectionString,
      url: emulator.url,
      caPem: emulator.caPem,
      timeScale: options.timeScale,
    });
    started.caPath = String(env[LOCAL_ENV.caPath]);
    started.pool = new WorkerPool(env, logFd ?? "ignore");
    await emulator.seed(chaosSeed(options.clusters));
    started.host = await startLocalHost({
      ...(await localHostOptionsFromEnv(env)),
      runQueues: false,
      runAppStart: false,
    });
    signal.throwIfAborted();
    return await exercise({ emulator, host: started.host, pool: started.pool, options, signal });
  } finally {
    process.off("exit", onExit);
    await stopStarted(started);
    if (logFd !== undefined) closeSync(logFd);
  }
}

/** Disturbs the running fleet, waits for quiet, checks, sweeps once and checks again. */
async function exercise(args: {
  emulator: EmulatorChild;
  host: LocalHost;
  pool: WorkerPool;
  options: ChaosOptions;
  signal: AbortSignal;
}): Promise<ChaosReport> {
  const { emulator, host, pool, options, signal } = args;
  const random = createRandom(options.seed);
  await pool.start(options.workers);
  signal.throwIfAborted();
  const kinds = resolveConfig("demo").faults.kinds;
  await emulator.configure({ faults: { rate: options.faultRate, kinds, seed: options.seed } });

  const doomed = shuffle(
    Array.from({ length: options.clusters }, (_, i) => i),
    random,
  ).slice(0, options.deletes);
  options.progress?.(
    `chaos: ${options.workers} workers up; delivering events, deleting and killing`,
  );
  const sent = await disturb({ host, pool, emulator, options, random, doomed, signal });
  options.progress?.("chaos: events delivered; waiting for the queue to be quiet");
  await waitQuiet(host, options.quietTimeoutMs, signal);

  const log = await emulator.requestLog();
  await emulator.configure({ faults: { rate: 0 } });
  const remaining = Array.from({ length: options.clusters }, (_, i) => i).filter(
    (i) => !doomed.includes(i),
  );
  const afterRun = await check(emulator, remaining, doomed);
  signal.throwIfAborted();
  options.progress?.("chaos: checked; one drift sweep, then the checks again");
  await host.runTimer(NAMES.functions.driftSweep);
  await waitQuiet(host, options.quietTimeoutMs, signal);
  const afterSweep = await check(emulator, remaining, doomed);
  return {
    counts: {
      requests: log.length,
      faultsInjected: log.filter((e) => e.fault !== undefined).length,
      kills: pool.kills,
      workerStarts: pool.starts,
      eventsDelivered: sent.delivered,
      uniqueEvents: sent.unique,
      clusters: options.clusters,
      deleted: doomed.length,
    },
    afterRun,
    afterSweep,
  };
}
