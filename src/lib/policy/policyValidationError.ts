/** One thing wrong with a policy document, with where it is. */
export interface PolicyProblem {
  /** JSON path of the offending value, e.g. `profiles.payments.identities[0].serviceAccounts[1]`. */
  path: string;
  /** What is wrong and what to do about it. */
  message: string;
}

/** Options of {@link PolicyValidationError}. */
export interface PolicyValidationErrorOptions {
  /** Where the policy came from (a file path or `"inline"`). */
  source: string;
  /** The underlying error (a read or parse failure), when there is one. */
  cause?: unknown;
}

/**
 * The policy cannot be used: it lists every problem found, each with its path. Terminal: the
 * same document fails the same way until someone edits it.
 */
export class PolicyValidationError extends Error {
  override readonly name = "PolicyValidationError";
  readonly code = "PolicyInvalid";
  readonly retryable = false;
  readonly problems: PolicyProblem[];
  readonly source: string;

  /**
   * @param problems - every problem found (at least one).
   * @param options - the policy's source and an optional cause.
   */
  constructor(problems: PolicyProblem[], options: PolicyValidationErrorOptions) {
    super(formatMessage(problems, options.source), { cause: options.cause });
    this.problems = problems;
    this.source = options.source;
  }
}

function formatMessage(problems: PolicyProblem[], source: string): string {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  const lines = problems.map((p) => `  - ${p.path}: ${p.message}`);
  return [`Policy ${source} is invalid (${count}); nothing was written:`, ...lines].join("\n");
}
