/** Command-line options of `npm run bench`. */
import { parseArgs } from "node:util";

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

/** Parses `argv` (without node and the script). */
export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      clusters: { type: "string" },
      "time-scale": { type: "string" },
      out: { type: "string", default: "bench/results.json" },
      "engine-writes-per-second": { type: "string" },
      "engine-write-burst": { type: "string" },
      "uncharged-credential-writes": { type: "boolean", default: false },
    },
    strict: true,
  });
  const quick = values.quick === true;
  const clusters = Number(values.clusters ?? (quick ? 20 : 1000));
  if (!Number.isInteger(clusters) || clusters < 1)
    throw new Error("--clusters must be a whole number ≥ 1");
  const target = quick ? TARGET_REAL_SECONDS.quick : TARGET_REAL_SECONDS.full;
  const timeScale = Number(
    values["time-scale"] ?? Math.ceil(expectedBudgetSeconds(clusters) / target),
  );
  if (!(timeScale > 0)) throw new Error("--time-scale must be a positive number");
  return {
    quick,
    clusters,
    timeScale,
    out: values.out,
    coldStartRepeats: quick ? 1 : 5,
    latencyClusters: quick ? 1 : 3,
    writeLimit: {
      burst: Number(values["engine-write-burst"] ?? DEFAULT_WRITE_LIMIT.burst),
      perSecond: Number(values["engine-writes-per-second"] ?? DEFAULT_WRITE_LIMIT.perSecond),
    },
    chargeCredentialWritesToIdentity: values["uncharged-credential-writes"] !== true,
  };
}
