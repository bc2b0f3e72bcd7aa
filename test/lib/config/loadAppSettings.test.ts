import { describe, expect, it } from "vitest";

import { AppSettingsError } from "../../../src/lib/config/appSettingsError.js";
import { loadAppSettings } from "../../../src/lib/config/loadAppSettings.js";

const VALID = {
  AzureWebJobsStorage: "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=k",
  ARC_WI_POLICY_PATH: "policy.yaml",
  ARC_WI_ALLOWED_SCOPES: "/subscriptions/11111111-2222-3333-4444-555555555555",
};

describe("loadAppSettings", () => {
  it("fills defaults for optional settings", () => {
    expect(loadAppSettings(VALID)).toEqual({
      storage: { connectionString: VALID.AzureWebJobsStorage },
      policy: { path: "policy.yaml" },
      allowedScopes: [VALID.ARC_WI_ALLOWED_SCOPES],
      armEndpoint: "https://management.azure.com",
      authorityHost: "https://login.microsoftonline.com",
      clusterApiVersion: "2026-05-01",
      driftSchedule: "0 0 */6 * * *",
      waitDeadlineMs: 120 * 60_000,
    });
  });

  it("accepts identity-based storage", () => {
    const rest: Record<string, string> = { ...VALID };
    delete rest.AzureWebJobsStorage;

    expect(
      loadAppSettings({ ...rest, AzureWebJobsStorage__accountName: "starcwi" }).storage,
    ).toEqual({ accountName: "starcwi" });
  });

  it("names every missing or malformed setting at once", () => {
    const error: unknown = (() => {
      try {
        return loadAppSettings({
          ARC_WI_ALLOWED_SCOPES: "rg-only",
          ARC_WI_ARM_ENDPOINT: "http://insecure",
          ARC_WI_APP_PRINCIPAL_ID: "me",
          ARC_WI_DRIFT_SCHEDULE: "@daily",
          ARC_WI_WAIT_DEADLINE_MINUTES: "soon",
          ARC_WI_EVENTGRID_TOPIC_ENDPOINT: "not a url",
        });
      } catch (e) {
        return e;
      }
    })();

    expect(error).toBeInstanceOf(AppSettingsError);
    const problems = (error as AppSettingsError).problems.map((p) => p.split(":")[0]);
    expect(problems).toEqual([
      "AzureWebJobsStorage",
      "ARC_WI_POLICY / ARC_WI_POLICY_PATH",
      "ARC_WI_ALLOWED_SCOPES",
      "ARC_WI_ARM_ENDPOINT",
      "ARC_WI_APP_PRINCIPAL_ID",
      "ARC_WI_DRIFT_SCHEDULE",
      "ARC_WI_WAIT_DEADLINE_MINUTES",
      "ARC_WI_EVENTGRID_TOPIC_ENDPOINT",
    ]);
    expect((error as AppSettingsError).code).toBe("InvalidAppSettings");
  });

  it("refuses at start an api-version whose clusters lack the OIDC fields, naming those allowed", () => {
    const problemsFor = (version: string) => {
      try {
        loadAppSettings({ ...VALID, ARC_WI_CLUSTER_API_VERSION: version });
        return [];
      } catch (e) {
        return (e as AppSettingsError).problems;
      }
    };
    expect(problemsFor("2020-01-01")).toEqual([
      expect.stringMatching(
        /^ARC_WI_CLUSTER_API_VERSION: "2020-01-01" is not an api-version .*one of 2026-05-01, /,
      ),
    ]);
    expect(problemsFor("2024-01-01")).toHaveLength(1);
    expect(problemsFor("2025-08-01-preview")).toEqual([]);
  });

  it("refuses a storage setting that is no connection string, naming the setting", () => {
    expect(() => loadAppSettings({ ...VALID, AzureWebJobsStorage: "garbage" })).toThrow(
      AppSettingsError,
    );
    try {
      loadAppSettings({ ...VALID, AzureWebJobsStorage: "garbage" });
    } catch (e) {
      expect((e as AppSettingsError).problems[0]).toMatch(
        /^AzureWebJobsStorage: not a storage connection string/,
      );
    }
  });

  it("refuses both policy settings at once", () => {
    expect(() => loadAppSettings({ ...VALID, ARC_WI_POLICY: "rules: []" })).toThrow(
      /set one, not both/,
    );
  });
});
