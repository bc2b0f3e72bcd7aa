import { afterEach, describe, expect, it } from "vitest";

import { handleAppStart } from "../../../src/functions/handlers/handleAppStart.js";
import { setAppRuntimeFactory } from "../../../src/functions/runtime/appRuntime.js";
import { createConsoleLogger } from "../../../src/functions/runtime/consoleLogger.js";
import { createAppRuntimeFromSettings } from "../../../src/functions/runtime/createAppRuntimeFromSettings.js";

afterEach(() => setAppRuntimeFactory(undefined));

describe("handleAppStart", () => {
  it("reports every missing or malformed setting in one clear error line, and enqueues nothing", async () => {
    const lines: string[] = [];
    setAppRuntimeFactory(() =>
      createAppRuntimeFromSettings({
        ARC_WI_ALLOWED_SCOPES: "everything",
        ARC_WI_WAIT_DEADLINE_MINUTES: "-1",
      }),
    );

    const enqueued = await handleAppStart(createConsoleLogger({}, (line) => lines.push(line)));

    expect(enqueued).toBe(0);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as { level: string; code: string; problems: string };
    expect(line).toMatchObject({ level: "error", code: "InvalidAppSettings" });
    for (const name of [
      "AzureWebJobsStorage",
      "ARC_WI_POLICY",
      "ARC_WI_ALLOWED_SCOPES",
      "ARC_WI_WAIT_DEADLINE_MINUTES",
    ]) {
      expect(line.problems).toContain(name);
    }
  });
});
