/**
 * `coldStart`: a fresh process loads the deployable function entry and handles a first event,
 * once from the plain `tsc` output (one file per module, packages from node_modules) and once
 * from an esbuild bundle of the same entry files. Azurite stands in for the storage account.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

import { build } from "esbuild";

import { bundleFunctionApp, REQUIRE_SHIM } from "../scripts/bundleFunctionApp.js";
import { buildArmEvent } from "../src/local/armEvents.js";
import { startAzurite, type RunningAzurite } from "../src/local/azurite.js";
import { BENCH_POLICY_TEXT, BENCH_SUBSCRIPTION, fleetClusterId } from "./benchFleet.js";
import { onInterrupt } from "./interruptCleanup.js";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "..");

export interface ColdStartFigures {
  bundledMs: number;
  plainMs: number;
  ratio: number;
  rssMb: number;
}

function functionEntries(dir: string, ext: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext) && !f.endsWith(".d.ts"))
    .sort()
    .map((f) => path.join(dir, f));
}

/**
 * The plain build: `tsc -p tsconfig.build.json` into `out` (what the app would load unbundled). With
 * `fast`, esbuild transpiles the same files one to one instead (same modules, same imports, in
 * a second rather than half a minute), for the quick run.
 */
async function buildPlain(out: string, fast: boolean): Promise<string[]> {
  if (fast) {
    const sources = listTs(path.join(ROOT, "src"));
    await build({
      entryPoints: sources,
      outdir: path.join(out, "src"),
      outbase: path.join(ROOT, "src"),
      platform: "node",
      format: "esm",
      target: "node20",
      logLevel: "silent",
    });
  } else {
    const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
    await run(process.execPath, [
      tsc,
      "-p",
      path.join(ROOT, "tsconfig.build.json"),
      "--outDir",
      out,
    ]);
  }
  return functionEntries(path.join(out, "src", "functions"), ".js");
}

function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts"))
    .map((e) => path.join(e.parentPath, e.name));
}

/** The bundle: what `npm run build` makes (scripts/bundleFunctionApp.ts). */
async function buildBundle(out: string): Promise<string[]> {
  return [await bundleFunctionApp(path.join(out, "main.mjs"))];
}

async function buildHarness(out: string): Promise<string> {
  const outfile = path.join(out, "coldStartChild.mjs");
  await build({
    entryPoints: [path.join(ROOT, "bench", "coldStartChild.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile,
    banner: { js: REQUIRE_SHIM },
    logLevel: "silent",
  });
  return outfile;
}

async function measure(args: {
  harness: string;
  entries: string[];
  env: NodeJS.ProcessEnv;
  i: number;
  signal: AbortSignal;
}) {
  const event = buildArmEvent({ resourceUri: fleetClusterId(args.i), id: `cold-${args.i}` });
  const argv = [args.harness, JSON.stringify(event), ...args.entries];
  const { env, signal } = args;
  const options = { env, cwd: ROOT, signal, killSignal: "SIGKILL" as const };
  const { stdout } = await run(process.execPath, argv, options);
  return JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as { ms: number; rssMb: number };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Builds both forms, then starts each `repeats` times in alternation; medians. */
export async function runColdStartBench(args: {
  repeats: number;
  fastPlainBuild: boolean;
  /** Says what the step is doing. */
  progress?: (line: string) => void;
}): Promise<ColdStartFigures> {
  // Inside node_modules, so the plain build resolves its packages as a deployed app does.
  const cache = path.join(ROOT, "node_modules", ".cache");
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(path.join(cache, "arc-wi-cold-"));
  const starting = startAzurite();
  // Interrupted: abort the measuring, then wait for the run's own clean-up below. An exit that
  // cannot wait (a second signal) still kills Azurite and removes `dir`.
  const measuring = new AbortController();
  // An exit handler runs synchronously: it needs Azurite itself, not the promise of it.
  let started: RunningAzurite | undefined;
  starting.then(
    (azurite) => (started = azurite),
    () => undefined,
  );
  const onExit = () => {
    started?.killNow();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", onExit);
  const running = measureColdStarts({ ...args, dir, starting, signal: measuring.signal });
  const forget = onInterrupt(async () => {
    measuring.abort();
    await running.catch(() => undefined);
  });
  try {
    return await running;
  } finally {
    forget();
    process.off("exit", onExit);
  }
}

async function measureColdStarts(args: {
  repeats: number;
  fastPlainBuild: boolean;
  progress?: (line: string) => void;
  dir: string;
  starting: Promise<RunningAzurite>;
  signal: AbortSignal;
}): Promise<ColdStartFigures> {
  const { dir, signal } = args;
  try {
    const azurite = await args.starting;
    signal.throwIfAborted();
    args.progress?.("bench: cold start: Azurite up, building both forms");
    const [plain, bundled, harness] = await Promise.all([
      buildPlain(path.join(dir, "plain"), args.fastPlainBuild),
      buildBundle(path.join(dir, "bundle")),
      buildHarness(dir),
    ]);
    const env = {
      ...process.env,
      AzureWebJobsStorage: azurite.connectionString,
      ARC_WI_POLICY: BENCH_POLICY_TEXT,
      ARC_WI_ALLOWED_SCOPES: `/subscriptions/${BENCH_SUBSCRIPTION}`,
      ARC_WI_ARM_ENDPOINT: "https://127.0.0.1:9",
    };
    const times = { plain: [] as number[], bundled: [] as number[], rss: [] as number[] };
    for (let i = 0; i < args.repeats; i++) {
      signal.throwIfAborted();
      times.plain.push((await measure({ harness, entries: plain, env, i, signal })).ms);
      const b = await measure({ harness, entries: bundled, env, i, signal });
      times.bundled.push(b.ms);
      times.rss.push(b.rssMb);
    }
    const bundledMs = median(times.bundled);
    const plainMs = median(times.plain);
    return {
      bundledMs: r1(bundledMs),
      plainMs: r1(plainMs),
      ratio: Math.round((bundledMs / plainMs) * 1000) / 1000,
      rssMb: r1(median(times.rss)),
    };
  } finally {
    await args.starting.then(
      (azurite) => azurite.stop(),
      () => undefined,
    );
    rmSync(dir, { recursive: true, force: true });
  }
}

function r1(value: number): number {
  return Math.round(value * 10) / 10;
}
