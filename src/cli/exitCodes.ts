/** Exit codes of `arc-wi`, documented in README.md and in every command's --help. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  actionRequired: 3,
  changesPending: 4,
  /** Ctrl-C (128 + SIGINT), as shells report it. */
  interrupted: 130,
} as const;

/** An error that ends the CLI with a given exit code and a message that says what to do. */
export class CliError extends Error {
  override readonly name = "CliError";

  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
  }
}

/** The text appended to every command's --help. */
export const EXIT_CODES_HELP = `
Exit codes: 0 ok, 1 failure, 2 bad usage, 3 action required, 4 changes pending (plan).`;
