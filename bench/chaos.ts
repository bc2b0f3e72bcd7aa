/**
 * `npm run chaos` (`node --import tsx bench/chaos.ts [--quick] [--seed N]`): faults on 10 % of
 * ARM calls, duplicated and reordered events, clusters deleted midway, worker processes killed
 * at random points; then the invariants. Prints the counts and each invariant; exits 1 when an
 * invariant does not hold once the run is quiet.
 */
import { parseArgs } from "node:util";

import { runChaos, type ChaosOptions } from "./chaos/chaosRun.js";
import type { InvariantResult } from "./chaos/invariants.js";

function optionsFrom(argv: string[]): ChaosOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      seed: { type: "string", default: "7" },
      clusters: { type: "string" },
      kills: { type: "string" },
      "worker-log": { type: "string" },
    },
  });
  const quick = values.quick === true;
  return {
    seed: Number(values.seed),
    clusters: Number(values.clusters ?? (quick ? 12 : 60)),
    deletes: quick ? 2 : 6,
    kills: Number(values.kills ?? (quick ? 3 : 10)),
    workers: 2,
    faultRate: 0.1,
    timeScale: 10,
    quietTimeoutMs: quick ? 240_000 : 600_000,
    ...(values["worker-log"] ? { logPath: values["worker-log"] } : {}),
  };
}

function print(title: string, results: InvariantResult[]): void {
  process.stdout.write(`${title}\n`);
  for (const r of results) {
    process.stdout.write(`  ${r.ok ? "ok  " : "FAIL"} ${r.name}\n`);
    for (const p of r.problems.slice(0, 10)) process.stdout.write(`       - ${p}\n`);
    if (r.problems.length > 10)
      process.stdout.write(`       … and ${r.problems.length - 10} more\n`);
  }
}

async function main(): Promise<void> {
  const options = optionsFrom(process.argv.slice(2));
  process.stdout.write(
    `chaos: seed ${options.seed}, ${options.clusters} clusters, ${options.kills} kills, faults on ${options.faultRate * 100} % of calls\n`,
  );
  const report = await runChaos(options);
  process.stdout.write(`${JSON.stringify(report.counts)}\n`);
  print("invariants once the run is quiet:", report.afterRun);
  print("invariants after one drift sweep:", report.afterSweep);
  if (!report.afterRun.every((r) => r.ok)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`chaos failed: ${String((error as Error)?.stack ?? error)}\n`);
  process.exitCode = 1;
});
