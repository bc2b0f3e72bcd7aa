import { access, constants, mkdir } from "node:fs/promises";
import { join } from "node:path";

import type { Command } from "commander";

import { loadPolicy } from "../../lib/policy/index.js";
import { abortOnSignal } from "../abortOnSignal.js";
import { readDemoFleet } from "../demo/demoFleet.js";
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
      await checkInputs(flags);
      const interrupt = abortOnSignal("Interrupted: stopping what the demo started...");
      try {
        const progress = (line: string) => process.stderr.write(`${colours.dim(line)}\n`);
        const demo = { seed: flags.seed, policy: flags.policy, progress };
        const result = await runDemo(demo, interrupt.signal).catch((e: unknown) => {
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
        interrupt.dispose();
      }
    });
}

/** Fails fast, before anything starts, on a seed or policy that cannot be read or an unwritable --out. */
async function checkInputs(flags: DemoFlags): Promise<void> {
  for (const [flag, path] of [
    ["--seed", flags.seed],
    ["--policy", flags.policy],
  ] as const) {
    await access(path, constants.R_OK).catch(() => {
      throw new CliError(`${flag} ${path}: the file cannot be read.`, EXIT.usage);
    });
  }
  // Both are read again when the demo runs; reading them here first creates nothing on failure.
  await loadPolicy({ path: flags.policy });
  try {
    readDemoFleet(flags.seed);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new CliError(
      `--seed ${flags.seed} is not a fleet seed (see examples/fleet.json): ${reason}`,
      EXIT.usage,
    );
  }
  await mkdir(flags.out, { recursive: true })
    .then(() => access(flags.out, constants.W_OK))
    .catch(() => {
      throw new CliError(
        `--out ${flags.out}: cannot write there; pick another folder.`,
        EXIT.usage,
      );
    });
}
