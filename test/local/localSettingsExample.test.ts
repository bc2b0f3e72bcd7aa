import { existsSync, readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { APP_SETTINGS } from "../../src/lib/config/appSettings.js";
import { loadAppSettings } from "../../src/lib/config/loadAppSettings.js";

const example = JSON.parse(readFileSync("local.settings.json.example", "utf8")) as {
  Values: Record<string, string>;
};

describe("local.settings.json.example", () => {
  it("lists every app setting the code reads, and the worker runtime", () => {
    expect(Object.keys(example.Values).sort()).toEqual(
      ["FUNCTIONS_WORKER_RUNTIME", ...APP_SETTINGS.map((s) => s.name)].sort(),
    );
  });

  it("passes the start-up validation as it is, with a policy file that exists", () => {
    const settings = loadAppSettings(example.Values);

    expect(existsSync(settings.policy.path!)).toBe(true);
  });
});
