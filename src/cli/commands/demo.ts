import { join } from "node:path";

import type { Command } from "commander";

import { DemoInterrupted, runDemo, PACKAGE_ROOT } from "../demo/runDemo.js";
import { writeDemoOutput } from "../demo/writeDemoOutput.js";
import { CliError, EXIT, EXIT_CODES_HELP } from "../exitCodes.js";
import {
  colours,
  parseOutput,
  printJson,
  printReportSummary,
  type OutputFormat,
} from "../output.js";

interface DemoFlags {
  seed: string;
  policy: string;
  out: string;
  output: OutputFormat;
}

/** Adds `demo`: the whole job on the local emulator and Azurite (what `npm start` runs). */
export function addDemoCommand(program: Command): void {
  program
    .command("demo")
    .description("run the whole job on a demo fleet: local ARM emulator + Azurite, no Azure needed")
    .option("--seed <file>", "the fleet", join(PACKAGE_ROOT, "examples/fleet.json"))
    .option("--policy <file>", "the policy", join(PACKAGE_ROOT, "examples/demo.policy.yaml"))
    .option("--out <dir>", "where report.json and manifests/ go", "out")
    .option("--output <format>", "table or json", parseOutput, "table")
    .addHelpText(
      "after",
      `\nExample:\n  npm start            # the same as: arc-wi demo\n${EXIT_CODES_HELP}`,
    )
    .action(async (flags: DemoFlags) => {
      const controller = new AbortController();
      const onSignal = () => controller.abort();
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      try {
        const progress = (line: string) => process.stderr.write(`${colours.dim(line)}\n`);
        const demo = { seed: flags.seed, policy: flags.policy, progress };
        const result = await runDemo(demo, controller.signal).catch((e: unknown) => {
          if (e instanceof DemoInterrupted) throw new CliError(e.message, EXIT.interrupted);
          throw e;
        });
        await writeDemoOutput(flags.out, result.reports);
        if (flags.output === "json") printJson({ clusters: result.reports });
        else printReportSummary(result.reports);
        process.stderr.write(
          `Wrote ${join(flags.out, "report.json")} and ${join(flags.out, "manifests")}/.\n`,
        );
        if (!result.ok) {
          const wrong = result.fleet.filter((c, i) => result.reports[i]?.status !== c.expected);
          throw new CliError(
            `Not every cluster reached its expected status: ${wrong.map((c) => `${c.name} (expected ${c.expected})`).join(", ")}.`,
            EXIT.failure,
          );
        }
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    });
}
