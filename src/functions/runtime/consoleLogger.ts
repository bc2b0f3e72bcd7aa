import type { LogFields, Logger } from "../../lib/log/logger.js";
import { sanitizeFields } from "./contextLogger.js";

type Level = "debug" | "info" | "warn" | "error";

/**
 * A {@link Logger} writing one JSON object per line (level, message, fields) through
 * `write` (stderr by default): for the engine outside an invocation and the local host.
 */
export function createConsoleLogger(
  fields: LogFields = {},
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  minLevel: Level = "info",
): Logger {
  const order: Level[] = ["debug", "info", "warn", "error"];
  const emit = (level: Level) => (message: string, extra?: LogFields) => {
    if (order.indexOf(level) < order.indexOf(minLevel)) return;
    write(JSON.stringify({ level, message, ...sanitizeFields({ ...fields, ...extra }) }));
  };

  return {
    debug: emit("debug"),
    info: emit("info"),
    warn: emit("warn"),
    error: emit("error"),
    child: (more) => createConsoleLogger({ ...fields, ...more }, write, minLevel),
  };
}
