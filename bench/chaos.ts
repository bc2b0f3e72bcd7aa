/**
 * `npm run chaos` (`node --import tsx bench/chaos.ts [--quick] [--seed N]`): faults on 10 % of
 * ARM calls, duplicated and reordered events, clusters deleted midway, worker processes killed
 * at random points; then the invariants. Prints the counts and each invariant; exits 1 when an
 * invariant does not hold, once the run is quiet or after the drift sweep, and 2 on bad usage.
 */
import { abortOnSignal } from "../src/cli/abortOnSignal.js";
import { EXIT } from "../src/cli/exitCodes.js";
import { runEntry } from "./benchArgs.js";
import { parseChaosOptions } from "./chaos/chaosOptions.js";
import { runChaos } from "./chaos/chaosRun.js";
import type { InvariantResult } from "./chaos/invariants.js";

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
  const options = parseChaosOptions(process.argv.slice(2));
  process.stdout.write(
    `chaos: seed ${options.seed}, ${options.clusters} clusters, ${options.kills} kills, faults on ${options.faultRate * 100} % of calls\n`,
  );
  // Ctrl-C or SIGTERM: stop every process the run started (a second one leaves at once).
  const { signal } = abortOnSignal(
    "chaos: interrupted, stopping the emulator, Azurite and the workers...",
  );
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const report = await runChaos({ ...options, progress }, signal).catch((error: unknown) => {
    if (!signal.aborted) throw error;
    process.stderr.write("chaos: interrupted; nothing was checked\n");
    return process.exit(EXIT.interrupted);
  });
  process.stdout.write(`${JSON.stringify(report.counts)}\n`);
  print("invariants once the run is quiet:", report.afterRun);
  print("invariants after one drift sweep:", report.afterSweep);
  const held = [...report.afterRun, ...report.afterSweep].every((r) => r.ok);
  if (!held) process.exitCode = EXIT.failure;
}

runEntry("chaos", main);
