/** A lock could not be had in time: another worker held it throughout. Retryable. */
export class LockTimeoutError extends Error {
  override readonly name = "LockTimeoutError";
  readonly code = "LockTimeout";
  readonly retryable = true;

  constructor(
    readonly lockName: string,
    readonly waitedMs: number,
  ) {
    super(
      `Lock ${lockName} was held by another worker for ${waitedMs} ms. The work is retried later; ` +
        "if this persists, look for a worker that stopped renewing its lease.",
    );
  }
}
