import { describe, expect, it } from "vitest";

import { createConsoleLogger } from "../../src/functions/runtime/consoleLogger.js";
import { createContextLogger, sanitizeFields } from "../../src/functions/runtime/contextLogger.js";
import { capturingContext } from "../support/functionsHarness.js";

describe("loggers", () => {
  it("keep allow-listed text fields, numbers and booleans, and redact other text", () => {
    expect(
      sanitizeFields({
        cluster: "/c",
        status: "Converged",
        authorization: "Bearer x",
        body: "{}",
        count: 3,
        ok: true,
      }),
    ).toEqual({
      cluster: "/c",
      status: "Converged",
      authorization: "[redacted]",
      body: "[redacted]",
      count: 3,
      ok: true,
    });
  });

  it("write a constant message plus JSON fields, with the invocation id on every line", () => {
    const { context, lines } = capturingContext();

    createContextLogger(context)
      .child({ cluster: "/c" })
      .info("reconcile recorded", { status: "Converged", token: "secret-token" });

    expect(lines).toEqual([
      `information reconcile recorded {"invocationId":"${context.invocationId}","cluster":"/c","status":"Converged","token":"[redacted]"}`,
    ]);
  });

  it("write JSON lines at or above the minimum level", () => {
    const lines: string[] = [];
    const logger = createConsoleLogger({ component: "engine" }, (l) => lines.push(l), "warn");

    logger.info("quiet");
    logger.warn("loud", { code: "X" });

    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { level: "warn", message: "loud", component: "engine", code: "X" },
    ]);
  });
});
