import type { PipelineResponse } from "@azure/core-rest-pipeline";
import { setTimeout as sleep } from "node:timers/promises";

import { ArmRequestError, readRetryAfterMs } from "./armRequestError.js";

/** How long-running operations are polled (client options, so tests run at emulator speed). */
export interface LroOptions {
  /** Delay between polls when the service gives no Retry-After. @default 5000 */
  pollIntervalMs?: number;
  /** Ceiling for one poll delay, whatever Retry-After says. @default 30000 */
  maxPollIntervalMs?: number;
  /**
   * Longest this run waits for an operation: a longer one is left running and the cluster is
   * read again on the next reconcile, so a worker is not held while Azure works. @default 10000
   */
  maxFollowMs?: number;
}

interface OperationStatus {
  status?: string;
  error?: { code?: string; message?: string };
}

/**
 * Polls an `Azure-AsyncOperation` URL until the operation ends, waiting as long as it says
 * (Retry-After) but no longer than `maxFollowMs` in all.
 * @returns true when it `Succeeded`; false when it would still run past `maxFollowMs`.
 * @throws ArmRequestError when it ends `Failed` or `Canceled` (with the operation's error code).
 */
export async function followAsyncOperation(args: {
  operationUrl: string;
  what: string;
  firstDelayMs: number | undefined;
  poll: (url: string) => Promise<PipelineResponse>;
  options: LroOptions;
}): Promise<boolean> {
  const interval = args.options.pollIntervalMs ?? 5000;
  const ceiling = args.options.maxPollIntervalMs ?? 30_000;
  const budget = args.options.maxFollowMs ?? 10_000;
  let delay = Math.min(args.firstDelayMs ?? interval, ceiling);

  for (let waited = delay; waited <= budget; waited += delay) {
    await sleep(delay);
    const response = await args.poll(args.operationUrl);
    const body = JSON.parse(response.bodyAsText ?? "{}") as OperationStatus;
    const status = (body.status ?? "").toLowerCase();

    if (status === "succeeded") return true;
    if (status === "failed" || status === "canceled")
      throw operationFailed(args.what, body, response);
    delay = Math.min(readRetryAfterMs(response.headers) ?? interval, ceiling);
  }
  return false;
}

function operationFailed(
  what: string,
  body: OperationStatus,
  response: PipelineResponse,
): ArmRequestError {
  const code = body.error?.code ?? `Operation${body.status ?? "Failed"}`;
  return new ArmRequestError({
    message: `${what}: the operation ended ${body.status}: ${code}: ${body.error?.message ?? "no message"}`,
    code,
    statusCode: 200,
    requestId: response.headers.get("x-ms-request-id"),
  });
}
