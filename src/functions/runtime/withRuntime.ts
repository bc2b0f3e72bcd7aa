import type { InvocationContext } from "@azure/functions";

import { getAppRuntime, type AppRuntime } from "./appRuntime.js";

/** Wires a handler `(input, context, runtime)` as the `(input, context)` the host calls. */
export function withRuntime<I, R>(
  handler: (input: I, context: InvocationContext, runtime: AppRuntime) => Promise<R>,
): (input: I, context: InvocationContext) => Promise<R> {
  return async (input, context) => handler(input, context, await getAppRuntime());
}
