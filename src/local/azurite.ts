import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

import { hasExited } from "./hasExited.js";
/** A running Azurite (blob, queue, table) on 127.0.0.1. */
export interface RunningAzurite {
  /** Connection string for the well-known development account, with the three endpoints. */
  connectionString: string;
  blobPort: number;
  queuePort: number;
  tablePort: number;
  /** Stops the process; resolves once it has exited. */
  stop(): Promise<void>;
  /** Kills the process at once (SIGKILL), for an exit that cannot wait for {@link stop}. */
  killNow(): void;
}

/** Options of {@link startAzurite}. */
export interface StartAzuriteOptions {
  /** Keep data in this folder instead of memory (the demo's `.azurite/`). */
  location?: string;
  /** How long to wait for the three services to listen. @default 30000 */
  startTimeoutMs?: number;
}

// The public, documented key of Azurite's development account (not a secret).
const DEV_ACCOUNT = "devstoreaccount1";
const DEV_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

const LISTENING =
  /Azurite (Blob|Queue|Table) service is successfully listening at http:\/\/[^:]+:(\d+)/;

/**
 * Starts Azurite 3.35 from node_modules on random free ports of 127.0.0.1, with telemetry off
 * and in-memory persistence (or `location`), and resolves once all three services listen.
 * @throws AzuriteStartFailed when it exits early or does not listen in time.
 */
export async function startAzurite(options: StartAzuriteOptions = {}): Promise<RunningAzurite> {
  const child = spawn(process.execPath, [resolveAzuriteEntry(), ...azuriteArgs(options)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const ports = await waitForPorts(child, options.startTimeoutMs ?? 30_000);

  return {
    ...ports,
    connectionString: buildConnectionString(ports),
    stop: () => stopChild(child),
    killNow: () => {
      if (!hasExited(child)) child.kill("SIGKILL");
    },
  };
}

function resolveAzuriteEntry(): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve("azurite/package.json");
  return path.join(path.dirname(packageJson), "dist", "src", "azurite.js");
}

function azuriteArgs(options: StartAzuriteOptions): string[] {
  const persistence = options.location
    ? ["--location", options.location]
    : ["--inMemoryPersistence"];
  const hosts = ["blob", "queue", "table"].flatMap((s) => [`--${s}Host`, "127.0.0.1"]);
  const ports = ["blob", "queue", "table"].flatMap((s) => [`--${s}Port`, "0"]);
  return ["--disableTelemetry", "--silent", ...persistence, ...hosts, ...ports];
}

type Ports = Pick<RunningAzurite, "blobPort" | "queuePort" | "tablePort">;

function waitForPorts(child: ChildProcess, timeoutMs: number): Promise<Ports> {
  return new Promise((resolve, reject) => {
    const found = new Map<string, number>();
    let buffered = "";

    const fail = (why: string): void => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(
        Object.assign(new Error(`Azurite did not start: ${why}.`), { code: "AzuriteStartFailed" }),
      );
    };
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);

    child.once("exit", (code) => fail(`it exited with code ${String(code)}`));
    child.stderr?.resume();
    child.stdout?.on("data", (chunk: Buffer) => {
      if (found.size === 3) return;
      buffered += chunk.toString("utf8");
      for (const match of buffered.matchAll(new RegExp(LISTENING, "g"))) {
        found.set(match[1]!.toLowerCase(), Number(match[2]));
      }
      if (found.size === 3) {
        clearTimeout(timer);
        child.removeAllListeners("exit");
        resolve({
          blobPort: found.get("blob")!,
          queuePort: found.get("queue")!,
          tablePort: found.get("table")!,
        });
      }
    });
  });
}

function buildConnectionString(ports: Ports): string {
  const endpoint = (port: number): string => `http://127.0.0.1:${port}/${DEV_ACCOUNT}`;
  return [
    "DefaultEndpointsProtocol=http",
    `AccountName=${DEV_ACCOUNT}`,
    `AccountKey=${DEV_KEY}`,
    `BlobEndpoint=${endpoint(ports.blobPort)}`,
    `QueueEndpoint=${endpoint(ports.queuePort)}`,
    `TableEndpoint=${endpoint(ports.tablePort)}`,
  ].join(";");
}

function stopChild(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
