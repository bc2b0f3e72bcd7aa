import { describe, expect, it } from "vitest";

import { APP_SETTINGS } from "../../src/lib/config/appSettings.js";
import { readTemplate } from "./support/loadTemplate.js";
import { childrenOfType, createObjectKeys, onlyResource } from "./support/templateQueries.js";

/**
 * Settings the code reads under one name that the template sets in another form, and why.
 * AzureWebJobsStorage: identity-based, so no connection string (shared-key access is off).
 */
const SET_IN_ANOTHER_FORM: Record<string, string[]> = {
  AzureWebJobsStorage: ["AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential"],
};

/** Settings the template sets that the code does not read: the Functions host does. */
const READ_BY_THE_HOST_ONLY = [
  // Application Insights has local auth off: the host sends telemetry with Entra ID.
  "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
];

const resources = readTemplate("resources.json");
const site = onlyResource(resources, "Microsoft.Web/sites");
const appSettingsResource = childrenOfType(site, "config").find((c) => c.name === "appsettings")!;
const settingsExpression = String(appSettingsResource.properties);
const variables = resources.variables!;

const always = Object.keys(variables.appSettings as object);
const optional = Object.keys(variables.optionalAppSettings as object);
const computed = createObjectKeys(settingsExpression);
const templateSettings = [...always, ...optional, ...computed];

function expectedTemplateSettings(): string[] {
  const fromCode = APP_SETTINGS.flatMap((s) => SET_IN_ANOTHER_FORM[s.name] ?? [s.name]);
  return [...fromCode, ...READ_BY_THE_HOST_ONLY].sort();
}

describe("resources.json app settings", () => {
  it("are built from the always-set, the non-empty optional and the computed settings", () => {
    expect(settingsExpression).toMatch(
      /^\[union\(variables\('appSettings'\), variables\('presentOptionalAppSettings'\), createObject\(/,
    );
    expect(variables.presentOptionalAppSettings).toContain(
      "items(variables('optionalAppSettings'))",
    );
    expect(variables.presentOptionalAppSettings).toContain("not(empty(");
  });

  it("set every setting the code reads, and nothing else but the allow-listed host settings", () => {
    expect([...templateSettings].sort()).toEqual(expectedTemplateSettings());
  });

  it("set no setting twice", () => {
    expect(new Set(templateSettings).size).toBe(templateSettings.length);
  });

  it("always set the settings the code requires", () => {
    const required = APP_SETTINGS.filter((s) => s.required).flatMap(
      (s) => SET_IN_ANOTHER_FORM[s.name] ?? [s.name],
    );

    expect(required.filter((name) => !always.includes(name))).toEqual([]);
  });

  it("reach storage with the managed identity, never a connection string", () => {
    expect(variables.appSettings.AzureWebJobsStorage__accountName).toBe(
      "[variables('storageAccountName')]",
    );
    expect(variables.appSettings.AzureWebJobsStorage__credential).toBe("managedidentity");
    expect(templateSettings).not.toContain("AzureWebJobsStorage");
  });

  it("take the Application Insights connection string and the app's principal from the deployment", () => {
    expect(settingsExpression).toMatch(
      /'APPLICATIONINSIGHTS_CONNECTION_STRING', reference\(resourceId\('Microsoft\.Insights\/components'/,
    );
    expect(settingsExpression).toMatch(
      /'ARC_WI_APP_PRINCIPAL_ID', reference\(.*identity\.principalId/,
    );
  });

  it("default to the code's own defaults when they come from a parameter", () => {
    const settingValues = { ...variables.appSettings, ...variables.optionalAppSettings } as Record<
      string,
      string
    >;
    const compared = APP_SETTINGS.filter((s) => s.default !== undefined).flatMap((s) => {
      const parameter = /parameters\('(\w+)'\)/.exec(settingValues[s.name] ?? "")?.[1];
      const declared = parameter ? resources.parameters![parameter] : undefined;
      return declared ? [[s.name, String(declared.defaultValue), s.default]] : [];
    });

    expect(compared.map(([name]) => name)).toEqual(
      expect.arrayContaining(["ARC_WI_CLUSTER_API_VERSION", "ARC_WI_DRIFT_SCHEDULE"]),
    );
    for (const [name, templateDefault, codeDefault] of compared) {
      expect(templateDefault, name).toBe(codeDefault);
    }
  });

  it("default the ARM endpoint and authority host to the deployment's cloud", () => {
    expect(variables.armEndpointDefault).toBe("[environment().resourceManager]");
    expect(variables.authorityHostDefault).toBe("[environment().authentication.loginEndpoint]");
  });

  it("do not set the worker runtime, which Flex Consumption takes from functionAppConfig", () => {
    expect(templateSettings).not.toContain("FUNCTIONS_WORKER_RUNTIME");
    expect(templateSettings).not.toContain("FUNCTIONS_EXTENSION_VERSION");
  });
});
