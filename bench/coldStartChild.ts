/**
 * Runs in a fresh Node process (bundled by esbuild, so no loader is involved): installs the
 * stand-in for the Functions worker's `@azure/functions-core`, then measures loading the
 * deployable function entry files given on the command line and handling a first Event Grid
 * event with the app's own runtime (built from the app settings in the environment). Prints
 * one JSON line `{ms, rssMb}`.
 */
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";

import { installFunctionsCore } from "../src/local/functionsCore.js";

const quiet = () => undefined;

function contextFor(functionName: string): unknown {
  return {
    invocationId: randomUUID(),
    functionName,
    extraInputs: { get: quiet, set: quiet },
    extraOutputs: { get: quiet, set: quiet },
    ...Object.fromEntries(
      ["log", "trace", "debug", "info", "warn", "error"].map((l) => [l, quiet]),
    ),
    options: { trigger: {}, extraInputs: [], extraOutputs: [] },
  };
}

async function main(): Promise<void> {
  const [eventJson, ...entries] = process.argv.slice(2);
  const registry = installFunctionsCore();

  const start = performance.now();
  for (const entry of entries) await import(pathToFileURL(entry).href);
  const trigger = [...registry.functions.values()].find(
    (f) => f.trigger.type === "eventGridTrigger",
  );
  if (!trigger) throw new Error("no Event Grid trigger was registered by the entry files");
  await trigger.handler(JSON.parse(eventJson ?? "{}"), contextFor(trigger.name));
  const ms = performance.now() - start;

  const rssMb = process.memoryUsage().rss / (1024 * 1024);
  process.stdout.write(`${JSON.stringify({ ms, rssMb, functions: registry.functions.size })}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`cold start failed: ${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
