/** Command-line options of `npm run chaos`. */
import { benchProgram, wholeNumber, writableFile } from "../benchArgs.js";
import type { ChaosOptions } from "./chaosRun.js";

interface ChaosFlags {
  quick?: boolean;
  seed: number;
  clusters?: number;
  kills?: number;
  workerLog?: string;
}

/**
 * Parses `argv` (without node and the script).
 * @throws CommanderError on `--help` (exit code 0) and on bad usage, with the message printed.
 */
export function parseChaosOptions(argv: string[]): ChaosOptions {
  const flags = benchProgram(
    "npm run chaos --",
    "Faults, duplicated and reordered events, deletes and worker kills; then the invariants (docs/benchmarks.md).",
  )
    .option("--quick", "12 clusters and 3 kills instead of 60 and 10 (CI)")
    .option("--seed <n>", "fixes every random draw of the run", wholeNumber(0, 2 ** 32 - 1), 7)
    .option("--clusters <n>", "clusters in the fleet", wholeNumber(2, 1000))
    .option("--kills <n>", "worker processes killed and restarted", wholeNumber(0, 100))
    .option("--worker-log <file>", "append the workers' function logs to this file", writableFile)
    .parse(argv, { from: "user" })
    .opts<ChaosFlags>();
  const quick = flags.quick === true;
  const clusters = flags.clusters ?? (quick ? 12 : 60);
  return {
    seed: flags.seed,
    clusters,
    deletes: Math.min(quick ? 2 : 6, Math.floor(clusters / 2)),
    kills: flags.kills ?? (quick ? 3 : 10),
    workers: 2,
    faultRate: 0.1,
    timeScale: 10,
    quietTimeoutMs: quick ? 240_000 : 600_000,
    ...(flags.workerLog ? { logPath: flags.workerLog } : {}),
  };
}
