import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The queue settings of host.json (`extensions.queues`), which the Functions host applies to
 * the queue trigger and which everything that enqueues or drives the trigger locally follows.
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue#host-json
 */
export interface HostQueueSettings {
  /** How message text is encoded: the host decodes base64 by default. */
  messageEncoding: "base64" | "none";
  /** How long a message stays invisible after a failed invocation. */
  visibilityTimeoutMs: number;
  /** Failed invocations after which the host moves a message to `<queue>-poison`. */
  maxDequeueCount: number;
  /** Messages fetched per poll. */
  batchSize: number;
  /** Longest wait between polls of an empty queue. */
  maxPollingIntervalMs: number;
}

/** The host's defaults, used for every value host.json leaves out. */
const HOST_DEFAULTS: HostQueueSettings = {
  messageEncoding: "base64",
  visibilityTimeoutMs: 0,
  maxDequeueCount: 5,
  batchSize: 16,
  maxPollingIntervalMs: 60_000,
};

/**
 * Reads `extensions.queues` from host.json.
 * @param hostJsonPath - defaults to the app root's host.json (see {@link findHostJson}).
 * @throws HostJsonInvalid when a value has the wrong type or format.
 */
export async function readHostQueueSettings(hostJsonPath?: string): Promise<HostQueueSettings> {
  const file = hostJsonPath ?? findHostJson();
  const hostJson = JSON.parse(await readFile(file, "utf8")) as {
    extensions?: { queues?: Record<string, unknown> };
  };
  return toHostQueueSettings(hostJson.extensions?.queues ?? {}, file);
}

/**
 * The app root's host.json: in the current directory (the Functions host starts the worker
 * there), else the nearest one above this module (`src/` under tsx, `dist/src/` when built).
 */
export function findHostJson(): string {
  const inCwd = path.resolve("host.json");
  if (existsSync(inCwd)) return inCwd;

  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (dir !== path.dirname(dir)) {
    const candidate = path.join(dir, "host.json");
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return inCwd;
}

/**
 * Converts a raw `extensions.queues` object, filling the host's defaults.
 * @throws HostJsonInvalid when a value has the wrong type or format.
 */
export function toHostQueueSettings(
  queues: Record<string, unknown>,
  source = "host.json",
): HostQueueSettings {
  const encoding = queues.messageEncoding ?? HOST_DEFAULTS.messageEncoding;
  if (encoding !== "base64" && encoding !== "none") {
    throw hostJsonError(source, "messageEncoding", encoding);
  }

  return {
    messageEncoding: encoding,
    visibilityTimeoutMs: readTimeSpan(queues, "visibilityTimeout", source),
    maxDequeueCount: readCount(queues, "maxDequeueCount", source),
    batchSize: readCount(queues, "batchSize", source),
    maxPollingIntervalMs: readTimeSpan(queues, "maxPollingInterval", source),
  };
}

function readTimeSpan(queues: Record<string, unknown>, key: string, source: string): number {
  const value = queues[key];
  if (value === undefined) return HOST_DEFAULTS[`${key}Ms` as keyof HostQueueSettings] as number;

  const match = typeof value === "string" ? /^(\d+):(\d{2}):(\d{2})(\.\d+)?$/.exec(value) : null;
  if (!match) throw hostJsonError(source, key, value);
  const [, hours, minutes, seconds, fraction] = match;
  const totalSeconds = Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
  return Math.round((totalSeconds + Number(fraction ?? 0)) * 1000);
}

function readCount(queues: Record<string, unknown>, key: string, source: string): number {
  const value = queues[key];
  if (value === undefined) return HOST_DEFAULTS[key as keyof HostQueueSettings] as number;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw hostJsonError(source, key, value);
  }
  return value;
}

function hostJsonError(source: string, key: string, received: unknown): Error {
  return Object.assign(
    new Error(
      `${source}: extensions.queues.${key} is invalid (received ${JSON.stringify(received)}). ` +
        "Use a TimeSpan such as 00:00:30 for durations, a positive integer for counts, and " +
        "base64 or none for messageEncoding.",
    ),
    { name: "HostJsonError", code: "HostJsonInvalid" },
  );
}
