import { randomUUID } from "node:crypto";

import type {
  HttpRequestInit,
  HttpResponseInit,
  InvocationContext as Context,
} from "@azure/functions";

import { APP_SETTINGS } from "../lib/config/appSettings.js";
import { createQueueClient } from "../lib/config/storageConnection.js";
import { readHostQueueSettings } from "../lib/queue/hostQueueSettings.js";
import type { AppRuntime } from "../functions/runtime/appRuntime.js";
import { getAppRuntime, setAppRuntimeFactory } from "../functions/runtime/appRuntime.js";
import {
  buildAppRuntime,
  type BuildAppRuntimeOptions,
} from "../functions/runtime/buildAppRuntime.js";
import type { CapturedFunction, CapturedRegistry } from "./functionsCore.js";
import type { InvocationLog } from "./invocationLog.js";
import { loadFunctionApp } from "./loadFunctionApp.js";
import { parseNcrontab } from "./ncrontab.js";
import { HttpRequest, InvocationContext } from "./functionsClasses.js";
import { QueueDriver } from "./queueDriver.js";

/** Options of {@link startLocalHost}: the runtime's options, plus how the host runs. */
export interface LocalHostOptions extends Omit<
  BuildAppRuntimeOptions,
  "storage" | "hostQueueSettings"
> {
  /** Azurite's connection string (see `startAzurite`). */
  storageConnectionString: string;
  /** @default host.json in the current directory */
  hostJsonPath?: string;
  /** Drive the queue triggers (off for a process that only delivers events). @default true */
  runQueues?: boolean;
  /** Run the appStart hooks (settings check, policy-change re-sync). @default true */
  runAppStart?: boolean;
  /**
   * When timers fire: `schedule` follows each registered NCRONTAB schedule (`%SETTING%`
   * resolved from the environment); `manual` only through `runTimer`. @default "manual"
   */
  timers?: "manual" | "schedule";
  /** Fire each timer every this many ms instead (the demo and tests). */
  timerIntervalMs?: number;
  /** Shortest wait between polls of an empty queue. @default 50 */
  minPollMs?: number;
  /** Receives every line the functions log. @default dropped */
  log?: InvocationLog;
}

/** A running local host. */
export interface LocalHost {
  registry: CapturedRegistry;
  runtime: AppRuntime;
  /** Delivers an Event Grid payload (one event or an array) as Event Grid does: one invocation per event. */
  deliverEvents(payload: unknown): Promise<void>;
  /** Calls an HTTP function as the host would route to it. */
  invokeHttp(name: string, init: HttpRequestInit): Promise<HttpResponseInit>;
  /** Runs a timer function now. */
  runTimer(name: string): Promise<void>;
  /** Resolves once every driven queue is empty (delayed messages included) and nothing runs. */
  waitUntilIdle(options?: { timeoutMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the local stand-in for the Functions host over Azurite: loads the registered
 * functions, builds their runtime, drives the queue and poison triggers with host.json's
 * queue settings, and lets a caller deliver events, call HTTP functions and run timers. One
 * per process (the runtime is per process); start several processes for real races.
 */
export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const settings = await readHostQueueSettings(options.hostJsonPath);
  const storage = { connectionString: options.storageConnectionString };
  setAppRuntimeFactory(() => buildAppRuntime({ ...options, storage, hostQueueSettings: settings }));
  const runtime = await getAppRuntime();
  const registry = await loadFunctionApp();
  const log: InvocationLog = options.log ?? (() => undefined);

  const drivers = queueFunctions(registry).map(
    (fn) =>
      new QueueDriver({
        fn,
        queue: createQueueClient(storage, String(fn.trigger.queueName)),
        poison: createQueueClient(storage, `${String(fn.trigger.queueName)}-poison`),
        settings,
        log,
        ...(options.minPollMs ? { minPollMs: options.minPollMs } : {}),
      }),
  );
  if (options.runAppStart !== false) await runAppStartHooks(registry);
  if (options.runQueues !== false) drivers.forEach((d) => d.start());

  const invoke = (fn: CapturedFunction, input: unknown) => fn.handler(input, newContext(fn, log));
  // Like the host, a timer runs on one instance at a time (a lease named after it).
  const timers = startTimers(registry, options, (fn) =>
    runtime.locks.tryWithLock(`timer/${fn.name}`, () => Promise.resolve(invoke(fn, timerInput()))),
  );

  return {
    registry,
    runtime,
    deliverEvents: async (payload) => {
      const fn = findByTrigger(registry, "eventGridTrigger");
      for (const event of Array.isArray(payload) ? payload : [payload]) await invoke(fn, event);
    },
    invokeHttp: async (name, init) =>
      (await invoke(find(registry, name), new HttpRequest(init))) as HttpResponseInit,
    runTimer: async (name) => void (await invoke(find(registry, name), timerInput())),
    waitUntilIdle: (wait) => waitUntilIdle(runtime, drivers, wait?.timeoutMs ?? 60_000),
    stop: async () => {
      timers.stop();
      await Promise.all(drivers.map((d) => d.stop()));
      setAppRuntimeFactory(undefined);
    },
  };
}

function queueFunctions(registry: CapturedRegistry): CapturedFunction[] {
  return [...registry.functions.values()].filter((f) => f.trigger.type === "queueTrigger");
}

function find(registry: CapturedRegistry, name: string): CapturedFunction {
  const fn = registry.functions.get(name);
  if (!fn)
    throw localHostError("FunctionNotRegistered", `No function named ${name} is registered.`);
  return fn;
}

function findByTrigger(registry: CapturedRegistry, type: string): CapturedFunction {
  const fn = [...registry.functions.values()].find((f) => f.trigger.type === type);
  if (!fn) throw localHostError("FunctionNotRegistered", `No ${type} function is registered.`);
  return fn;
}

function localHostError(code: string, message: string): Error {
  return Object.assign(new Error(message), { name: "LocalHostError", code });
}

function newContext(fn: CapturedFunction, log: InvocationLog): Context {
  return new InvocationContext({
    invocationId: randomUUID(),
    functionName: fn.name,
    logHandler: (level, ...args) => log(level, fn.name, args),
  });
}

async function runAppStartHooks(registry: CapturedRegistry): Promise<void> {
  for (const hook of registry.hooks.filter((h) => h.hookName === "appStart")) {
    await hook.callback({ hookData: {}, appHookData: {}, functionAppDirectory: process.cwd() });
  }
}

function startTimers(
  registry: CapturedRegistry,
  options: Pick<LocalHostOptions, "timers" | "timerIntervalMs">,
  fire: (fn: CapturedFunction) => unknown,
): { stop: () => void } {
  const timers = [...registry.functions.values()].filter((f) => f.trigger.type === "timerTrigger");
  const handles = new Set<NodeJS.Timeout>();
  const safeFire = (fn: CapturedFunction) => void Promise.resolve(fire(fn)).catch(() => undefined);

  if (options.timerIntervalMs) {
    for (const fn of timers) handles.add(setInterval(() => safeFire(fn), options.timerIntervalMs));
  } else if (options.timers === "schedule") {
    for (const fn of timers) {
      const schedule = parseNcrontab(resolveSchedule(String(fn.trigger.schedule)));
      const arm = (): void => {
        const handle = setTimeout(
          () => {
            handles.delete(handle);
            safeFire(fn);
            arm();
          },
          schedule.next(new Date()).getTime() - Date.now(),
        );
        handles.add(handle);
      };
      arm();
    }
  }
  return { stop: () => handles.forEach((h) => clearTimeout(h)) };
}

function timerInput() {
  const now = new Date().toISOString();
  return {
    isPastDue: false,
    schedule: { adjustForDST: true },
    scheduleStatus: { last: now, next: now, lastUpdated: now },
  };
}

/**
 * Resolves a timer schedule as the host does: `%NAME%` is read from the environment, falling
 * back to the setting's default.
 */
export function resolveSchedule(
  schedule: string,
  env: Record<string, string | undefined> = process.env,
): string {
  return schedule.replace(/%([A-Za-z0-9_]+)%/g, (_match, name: string) => {
    return env[name] ?? APP_SETTINGS.find((s) => s.name === name)?.default ?? "";
  });
}

async function waitUntilIdle(
  runtime: AppRuntime,
  drivers: QueueDriver[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let quietChecks = 0; quietChecks < 2;) {
    const [main, poison] = await Promise.all([
      runtime.queue.approximateCount(),
      runtime.poisonQueue.getProperties().then((p) => p.approximateMessagesCount ?? 0),
    ]);
    const busy = drivers.reduce((n, d) => n + d.busy, 0);
    quietChecks = main + poison + busy === 0 ? quietChecks + 1 : 0;
    if (Date.now() > deadline) {
      throw Object.assign(
        new Error(
          `The local host was not idle after ${timeoutMs} ms: ${main} queued, ${poison} poisoned, ${busy} running.`,
        ),
        { code: "LocalHostNotIdle" },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
