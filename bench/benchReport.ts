/** The bench's output: results.json with exactly the keys, and a table for people. */
import { writeFileSync } from "node:fs";

import Table from "cli-table3";

import type { ColdStartFigures } from "./coldStartBench.js";
import type { FleetBenchResult } from "./fleetBench.js";
import type { LatencyFigures } from "./latencyBench.js";

/** Which run produced the figures: a `--quick` one and a full one write the same file. */
export interface BenchRun {
  clusters: number;
  timeScale: number;
  quick: boolean;
  /** ISO 8601 time the run ended. */
  at: string;
}

/** The content of bench/results.json. */
export interface BenchResults {
  run: BenchRun;
  fleet: Omit<FleetBenchResult["fleet"], "clusters">;
  amplification: number;
  noop: { reads: number; writes: number };
  coldStart: ColdStartFigures;
  latency: LatencyFigures;
}

/** Builds results.json's content from the three benches. */
export function toResults(
  fleet: FleetBenchResult,
  coldStart: ColdStartFigures,
  latency: LatencyFigures,
  quick: boolean,
): BenchResults {
  const f = fleet.fleet;
  return {
    run: {
      clusters: f.clusters,
      timeScale: fleet.detail.timeScale,
      quick,
      at: new Date().toISOString(),
    },
    fleet: {
      writesPerSecond: f.writesPerSecond,
      budgetSeconds: f.budgetSeconds,
      seconds: f.seconds,
      budgetRatio: f.budgetRatio,
      throttledShare: f.throttledShare,
      failedClusters: f.failedClusters,
      peakRssMb: f.peakRssMb,
    },
    amplification: fleet.amplification,
    noop: fleet.noop,
    coldStart,
    latency,
  };
}

/**
 * The figures of `results` that are not finite numbers (a NaN is written as `null`): e.g. the
 * no-op re-sync when no cluster converged. Dotted paths, in the order of results.json.
 */
export function missingFigures(results: BenchResults): string[] {
  const missing: string[] = [];
  const visit = (value: unknown, path: string) => {
    if (value === null || (typeof value === "number" && !Number.isFinite(value)))
      missing.push(path);
    else if (typeof value === "object")
      for (const [key, inner] of Object.entries(value)) visit(inner, path ? `${path}.${key}` : key);
  };
  visit(results, "");
  return missing;
}

/** Writes results.json (pretty-printed, newline at the end). */
export function writeResults(path: string, results: BenchResults): void {
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}

type Row = [figure: string, value: string | number, target: string, met: boolean | undefined];

function rows(r: BenchResults, fleet: FleetBenchResult): Row[] {
  const f = r.fleet;
  const identities = 2;
  return [
    ["run.clusters", r.run.clusters, r.run.quick ? "--quick" : "", undefined],
    ["run.timeScale", r.run.timeScale, "emulator ms per real ms", undefined],
    ["fleet.writesPerSecond", f.writesPerSecond, "", undefined],
    [
      "fleet.budgetSeconds",
      f.budgetSeconds,
      `bound: ${fleet.detail.budget.bounds[0]?.limit ?? "-"}`,
      undefined,
    ],
    ["fleet.seconds", f.seconds, "emulator s", undefined],
    ["fleet.budgetRatio", f.budgetRatio, "≥ 0.90", f.budgetRatio >= 0.9],
    ["fleet.throttledShare", f.throttledShare, "≤ 0.01", f.throttledShare <= 0.01],
    ["fleet.failedClusters", f.failedClusters, "0", f.failedClusters === 0],
    ["fleet.peakRssMb", f.peakRssMb, "engine process", undefined],
    // Below 1 is no better: the plan's writes were not all made (clusters failed).
    ["amplification", r.amplification, "1.00", Math.abs(r.amplification - 1) < 0.005],
    [
      "  accepted writes ÷ minimal",
      round3(fleet.detail.writesAccepted / fleet.detail.minimalWrites),
      "",
      undefined,
    ],
    [
      "noop.reads (event re-sync)",
      r.noop.reads,
      `≤ ${2 + identities}`,
      r.noop.reads <= 2 + identities,
    ],
    ["noop.writes", r.noop.writes, "0", r.noop.writes === 0],
    [
      "  sweep re-sync reads / writes",
      `${fleet.detail.noopSweep.reads} / ${fleet.detail.noopSweep.writes}`,
      "",
      undefined,
    ],
    ["coldStart.bundledMs", r.coldStart.bundledMs, "", undefined],
    ["coldStart.plainMs", r.coldStart.plainMs, "", undefined],
    ["coldStart.ratio", r.coldStart.ratio, "< 1", r.coldStart.ratio < 1],
    ["coldStart.rssMb", r.coldStart.rssMb, "", undefined],
    ["latency.issuerDelayMs", r.latency.issuerDelayMs, "", undefined],
    ["latency.overheadMs", r.latency.overheadMs, "", undefined],
  ];
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** The table printed at the end of a run. */
export function renderTable(results: BenchResults, fleet: FleetBenchResult): string {
  const table = new Table({
    head: ["figure", "value", "target / note", "met"],
    style: { head: [], border: [] },
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
  });
  for (const [figure, value, target, met] of rows(results, fleet))
    table.push([figure, String(value), target, met === undefined ? "" : met ? "yes" : "NO"]);
  return table.toString();
}
