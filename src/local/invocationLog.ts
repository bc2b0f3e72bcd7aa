/** Receives every line a function logs through its `InvocationContext`. */
export type InvocationLog = (level: string, functionName: string, args: unknown[]) => void;

/** Writes invocation lines at `minLevel` or above to stderr, as JSON. */
export function stderrInvocationLog(
  minLevel: "debug" | "information" | "warning" | "error" = "information",
): InvocationLog {
  const order = ["trace", "debug", "information", "warning", "error", "critical"];
  return (level, functionName, args) => {
    if (order.indexOf(level) < order.indexOf(minLevel)) return;
    process.stderr.write(
      `${JSON.stringify({ level, function: functionName, line: args.map(String).join(" ") })}\n`,
    );
  };
}
