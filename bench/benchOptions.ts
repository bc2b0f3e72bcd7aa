/** Command-line options of `npm run bench`. */
import type { Command } from "commander";

import { benchProgram, decimalNumber, wholeNumber, writableFile } from "./benchArgs.js";
import { DEFAULT_WRITE_LIMIT, type WriteLimit } from "./benchFleet.js";

export interface BenchOptions {
  quick: boolean;
  clusters: number;
  /** Emulator ms per real ms; derived from the expected budget when not given. */
  timeScale: number;
  /** Where results.json goes. */
  out: string;
  /** Cold-start runs per form (medians are reported). */
  coldStartRepeats: number;
  /** Clusters connected one at a time for `latency`. */
  latencyClusters: number;
  /** The pacer's ARM write bucket (Azure time); the product's default unless given. */
  writeLimit: WriteLimit;
  /** Whether a credential write also spends its identity's 0.25 writes/s (unconfirmed). */
  chargeCredentialWritesToIdentity: boolean;
}

/** Past this, a few ms of jitter between processes outgrow the identity service's intervals. */
const MAX_TIME_SCALE = 1000;

/** Real seconds a fleet run should take: 1-2 minutes in all, a few seconds with `--quick`. */
const TARGET_REAL_SECONDS = { full: 110, quick: 4 };

/**
 * The emulator-time budget the fleet is expected to need: the identity service's 2 writes/s
 * per subscription over 2 identities × (1 + 3 credentials) per cluster, and never less than
 * one cluster's realistic delays (about 200 s).
 */
export function expectedBudgetSeconds(clusters: number): number {
  return Math.max((clusters * 8) / 2, 200);
}

/** The `npm run bench` program; its options' values are parsed and checked by commander. */
function benchCommand(): Command {
  return benchProgram(
    "npm run bench --",
    "The fleet, amplification, no-op, latency and cold-start figures against the emulator (docs/benchmarks.md).",
  )
    .option(
      "--quick",
      "the same at small N, in seconds (CI: figures produced, targets not checked)",
    )
    .option(
      "--clusters <n>",
      "clusters in the fleet (default 1000, 20 with --quick)",
      wholeNumber(1, 100_000),
    )
    .option(
      "--time-scale <t>",
      "emulator ms per real ms (default: the fleet at its budget takes ~110 s)",
      decimalNumber(1, MAX_TIME_SCALE),
    )
    .option("--out <file>", "where the results go", writableFile, "bench/results.json")
    .option(
      "--engine-write-burst <n>",
      "the pacer's ARM write bucket size, in Azure time",
      wholeNumber(1, 100_000),
      DEFAULT_WRITE_LIMIT.burst,
    )
    .option(
      "--engine-writes-per-second <r>",
      "the pacer's ARM write refill, in Azure time",
      decimalNumber(0.01, 100_000),
      DEFAULT_WRITE_LIMIT.perSecond,
    )
    .option(
      "--uncharged-credential-writes",
      "the emulator does not charge a credential write to its identity's 0.25/s",
    );
}

interface BenchFlags {
  quick?: boolean;
  clusters?: number;
  timeScale?: number;
  out: string;
  engineWriteBurst: number;
  engineWritesPerSecond: number;
  unchargedCredentialWrites?: boolean;
}

/**
 * Parses `argv` (without node and the script).
 * @throws CommanderError on `--help` (exit code 0) and on bad usage, with the message printed.
 */
export function parseBenchOptions(argv: string[]): BenchOptions {
  const flags = benchCommand().parse(argv, { from: "user" }).opts<BenchFlags>();
  const quick = flags.quick === true;
  const clusters = flags.clusters ?? (quick ? 20 : 1000);
  const target = quick ? TARGET_REAL_SECONDS.quick : TARGET_REAL_SECONDS.full;
  return {
    quick,
    clusters,
    timeScale:
      flags.timeScale ??
      Math.min(MAX_TIME_SCALE, Math.ceil(expectedBudgetSeconds(clusters) / target)),
    out: flags.out,
    coldStartRepeats: quick ? 1 : 5,
    latencyClusters: quick ? 1 : 3,
    writeLimit: { burst: flags.engineWriteBurst, perSecond: flags.engineWritesPerSecond },
    chargeCredentialWritesToIdentity: flags.unchargedCredentialWrites !== true,
  };
}
