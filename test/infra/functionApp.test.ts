import { describe, expect, it } from "vitest";

import { NAMES } from "../../src/lib/config/names.js";
import { readTemplate } from "./support/loadTemplate.js";
import { childrenOfType, onlyResource, resourcesOfType } from "./support/templateQueries.js";

const template = readTemplate("resources.json");
const site = onlyResource(template, "Microsoft.Web/sites");
const plan = onlyResource(template, "Microsoft.Web/serverfarms");
const storage = onlyResource(template, "Microsoft.Storage/storageAccounts");
const insights = onlyResource(template, "Microsoft.Insights/components");

describe("resources.json Function app", () => {
  it("runs on a Linux Flex Consumption plan", () => {
    expect(plan.sku).toEqual({ name: "FC1", tier: "FlexConsumption" });
    expect(plan.properties.reserved).toBe(true);
    expect(site.kind).toBe("functionapp,linux");
  });

  it("runs Node 22 with the instance memory and scale-out from parameters", () => {
    const config = site.properties.functionAppConfig;

    expect(config.runtime).toEqual({ name: "node", version: "22" });
    expect(config.scaleAndConcurrency).toEqual({
      instanceMemoryMB: "[parameters('instanceMemoryMB')]",
      maximumInstanceCount: "[parameters('maximumInstanceCount')]",
    });
  });

  it("accepts HTTPS only, TLS 1.2 and up, on the site and its SCM endpoint", () => {
    expect(site.properties.httpsOnly).toBe(true);
    expect(site.properties.siteConfig.minTlsVersion).toBe("1.2");
    expect(site.properties.siteConfig.scmMinTlsVersion).toBe("1.2");
  });

  it("turns FTP and basic publishing credentials off", () => {
    const policies = childrenOfType(site, "basicPublishingCredentialsPolicies");

    expect(site.properties.siteConfig.ftpsState).toBe("Disabled");
    expect(policies.map((p) => [p.name, p.properties.allow as boolean])).toEqual([
      ["ftp", false],
      ["scm", false],
    ]);
  });

  it("has a system-assigned identity and the azd service tag", () => {
    expect(site.identity).toEqual({ type: "SystemAssigned" });
    expect(template.variables!.functionAppTags).toContain("'azd-service-name', 'api'");
  });
});

describe("resources.json storage account", () => {
  it("refuses shared keys, anonymous blobs and old TLS", () => {
    expect(storage.properties).toMatchObject({
      allowSharedKeyAccess: false,
      allowBlobPublicAccess: false,
      defaultToOAuthAuthentication: true,
      minimumTlsVersion: "TLS1_2",
      supportsHttpsTrafficOnly: true,
    });
  });
});

describe("resources.json monitoring", () => {
  it("uses workspace-based Application Insights with local auth off", () => {
    expect(insights.properties.DisableLocalAuth).toBe(true);
    expect(insights.properties.WorkspaceResourceId).toContain(
      "Microsoft.OperationalInsights/workspaces",
    );
  });

  it("alerts on failed clusters and on poison-queue messages, from Application Insights", () => {
    const alerts = resourcesOfType(template, "Microsoft.Insights/scheduledQueryRules");
    const queries = alerts.map((a) => a.properties.criteria.allOf[0].query as string);

    expect(alerts).toHaveLength(2);
    for (const alert of alerts) {
      expect(alert.properties.scopes).toEqual([
        "[resourceId('Microsoft.Insights/components', variables('appInsightsName'))]",
      ]);
      expect(alert.properties.actions).toEqual({
        actionGroups: "[parameters('alertActionGroupIds')]",
      });
    }
    expect(queries).toEqual([
      "[variables('failedClustersQuery')]",
      "[variables('poisonMessagesQuery')]",
    ]);
  });

  it("counts failed clusters once each, from the status field of the app's traces", () => {
    const query = template.variables!.failedClustersQuery as string;

    expect(query).toMatch(/^traces \|/);
    expect(query).toContain("status == 'Failed'");
    expect(query).toContain("summarize lastFailure = max(timestamp) by cluster");
  });

  it("counts runs of the poison-queue function", () => {
    expect(template.variables!.poisonMessagesQuery).toContain("requests | where name =~");
    expect(template.variables!.names.poisonWorker).toBe(NAMES.functions.poisonWorker);
  });
});
