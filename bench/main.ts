/**
 * `npm run bench` (`node --import tsx bench/main.ts [--quick] [--clusters N] [--time-scale T]`):
 * the fleet, amplification and no-op figures against the emulator enforcing ARM's and the
 * identity service's limits (scaled in time), the engine's latency overhead, and the cold start
 * of the deployable function entry. Prints a table and writes bench/results.json. Exits 0 when
 * every figure was produced, met or not (see docs/benchmarks.md).
 */
import { cpus, loadavg } from "node:os";

import { runEntry } from "./benchArgs.js";
import { parseBenchOptions } from "./benchOptions.js";
import { cleanUpOnSignal, isInterrupted } from "./interruptCleanup.js";
import { missingFigures, renderTable, toResults, writeResults } from "./benchReport.js";
import { runColdStartBench } from "./coldStartBench.js";
import { runFleetBench } from "./fleetBench.js";
import { runLatencyBench } from "./latencyBench.js";

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  cleanUpOnSignal("bench: interrupted; no figures written");
  say(
    `bench: ${options.clusters} cluster${options.clusters === 1 ? "" : "s"} × 2 identities × 3 service accounts, time scale ${options.timeScale} (emulator ms per real ms), engine writes ${options.writeLimit.burst} burst + ${options.writeLimit.perSecond}/s${options.chargeCredentialWritesToIdentity ? "" : ", credential writes not charged to their identity"}${options.quick ? ", quick" : ""}`,
  );

  // Figures depend on the machine: say how busy it was (other work slows the engine's process).
  say(
    `bench: ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  const fleet = await runFleetBench({
    clusters: options.clusters,
    timeScale: options.timeScale,
    deadlineMs: options.quick ? 120_000 : 600_000,
    writeLimit: options.writeLimit,
    chargeCredentialWritesToIdentity: options.chargeCredentialWritesToIdentity,
  });
  say(`bench: fleet done (${fleet.fleet.seconds} emulator s); latency next`);
  const latency = await runLatencyBench({
    clusters: options.latencyClusters,
    timeScale: Math.max(options.timeScale, 40),
  });
  say("bench: latency done; cold start next");
  const coldStart = await runColdStartBench({
    repeats: options.coldStartRepeats,
    fastPlainBuild: options.quick,
    progress: (line) => process.stderr.write(`${line}\n`),
  });

  const results = toResults(fleet, coldStart, latency, options.quick);
  writeResults(options.out, results);
  say(renderTable(results, fleet));
  say(`bench: wrote ${options.out}`);
  if (options.quick)
    say("bench: a --quick run shows the figures are produced; the targets are for the full fleet");

  const missing = missingFigures(results);
  if (missing.length > 0) {
    const why = fleet.detail.statuses.Converged ? "" : " (no cluster converged)";
    process.stderr.write(`bench: figures not produced: ${missing.join(", ")}${why}\n`);
    process.exitCode = 1;
  }
}

// A step stopped by a signal rejects: the signal's handler exits (130) once cleaned up.
const untilExit = () => new Promise<void>(() => undefined);
runEntry("bench", () =>
  main().catch((error: unknown) => {
    if (isInterrupted()) return untilExit();
    throw error;
  }),
);
