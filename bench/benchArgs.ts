/**
 * What `npm run bench` and `npm run chaos` share on their command line: commander programs that
 * answer `--help`, and refuse a bad option with what to give and exit code 2 (as `arc-wi` does)
 * before any server starts.
 */
import { closeSync, openSync, rmSync, statSync } from "node:fs";

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

/**
 * An option parser for a file to write: it is opened for appending once, as the run will at the
 * end, so a folder, a missing folder, a read-only file or a device that refuses writes is
 * refused now rather than after the run. A file that did not exist is removed again.
 */
export function writableFile(value: string): string {
  if (value === "" || /[\\/]$/.test(value))
    throw new InvalidArgumentError("Give a file path (not empty, not ending in /).");
  let existed = false;
  try {
    const stat = statSync(value, { throwIfNoEntry: false });
    if (stat?.isDirectory()) throw new InvalidArgumentError("It is a folder: give a file path.");
    existed = stat !== undefined;
    closeSync(openSync(value, "a"));
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new InvalidArgumentError(`It cannot be written (${code}): give a writable file path.`);
  }
  if (!existed) rmSync(value, { force: true });
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
