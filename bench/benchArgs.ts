/**
 * What `npm run bench` and `npm run chaos` share on their command line: commander programs that
 * answer `--help`, and refuse a bad option with what to give and exit code 2 (as `arc-wi` does)
 * before any server starts.
 */
import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";

import { Command, CommanderError, InvalidArgumentError } from "commander";

import { EXIT } from "../src/cli/exitCodes.js";

/** A program that throws instead of exiting, so the entry decides the exit code. */
export function benchProgram(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .helpOption("-h, --help", "show this help")
    .showHelpAfterError("(run with --help for every option)")
    .allowExcessArguments(false)
    .exitOverride();
}

/** An option parser for a whole number from `min` to `max`, in plain digits. */
export function wholeNumber(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max)
      throw new InvalidArgumentError(`Give a whole number from ${min} to ${max}.`);
    return n;
  };
}

/** An option parser for a decimal number from `min` to `max` (such as 2.5). */
export function decimalNumber(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value) || n < min || n > max)
      throw new InvalidArgumentError(`Give a number from ${min} to ${max}, such as 2.5.`);
    return n;
  };
}

/** An option parser for a file to write: not a folder, in a folder that exists and is writable. */
export function writableFile(value: string): string {
  if (statSync(value, { throwIfNoEntry: false })?.isDirectory())
    throw new InvalidArgumentError("It is a folder: give a file path.");
  const folder = path.dirname(path.resolve(value));
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new InvalidArgumentError(`Its folder ${folder} does not exist or is not writable.`);
  }
  return value;
}

/**
 * Runs an entry: its usage errors (and `--help`) end with commander's message and exit 2 (0
 * for help); any other error is a failure (1) with its stack, since it is a bug to report.
 */
export function runEntry(tag: string, main: () => Promise<void>): void {
  main()
    .catch((error: unknown) => {
      if (error instanceof CommanderError) {
        process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
        return;
      }
      process.stderr.write(`${tag} failed: ${String((error as Error)?.stack ?? error)}\n`);
      process.exitCode = EXIT.failure;
    })
    // Reconciles still running past a deadline are not waited for: the run is over.
    .finally(() => process.exit());
}
