import { describe, expect, it } from "vitest";

import { NAMES } from "../../src/lib/config/names.js";
import { readTemplate } from "./support/loadTemplate.js";
import { childrenOfType, onlyResource } from "./support/templateQueries.js";

const resources = readTemplate("resources.json");
const eventgrid = readTemplate("eventgrid.json");
const names = resources.variables!.names as Record<string, string>;

function childNames(serviceType: string, childType: string): string[] {
  const service = onlyResource(resources, serviceType);
  return childrenOfType(service, childType)
    .map((c) => c.name)
    .sort();
}

describe("storage the app needs", () => {
  it("creates the sync queue and its poison queue", () => {
    expect(childNames("Microsoft.Storage/storageAccounts/queueServices", "queues")).toEqual(
      [NAMES.syncQueue, NAMES.poisonQueue].sort(),
    );
  });

  it("creates the status and history tables", () => {
    expect(childNames("Microsoft.Storage/storageAccounts/tableServices", "tables")).toEqual(
      [NAMES.statusTable, NAMES.historyTable].sort(),
    );
  });

  it("creates the lease, dead-letter and deployment containers", () => {
    expect(childNames("Microsoft.Storage/storageAccounts/blobServices", "containers")).toEqual(
      [NAMES.leaseContainer, NAMES.deadLetterContainer, names.deploymentContainer].sort(),
    );
  });

  it("keeps no container public", () => {
    const service = onlyResource(resources, "Microsoft.Storage/storageAccounts/blobServices");

    for (const container of childrenOfType(service, "containers")) {
      expect(container.properties.publicAccess).toBe("None");
    }
  });

  it("uses the code's names wherever the template refers to them", () => {
    expect(names.deadLetterContainer).toBe(NAMES.deadLetterContainer);
    expect(names.poisonWorker).toBe(NAMES.functions.poisonWorker);
    expect(eventgrid.parameters!.deadLetterContainerName!.defaultValue).toBe(
      NAMES.deadLetterContainer,
    );
  });

  it("deploys the code package to its own container with the app's identity", () => {
    const site = onlyResource(resources, "Microsoft.Web/sites");
    const storage = site.properties.functionAppConfig.deployment.storage;

    expect(storage.type).toBe("blobContainer");
    expect(storage.value).toContain("variables('names').deploymentContainer");
    expect(storage.authentication).toEqual({ type: "SystemAssignedIdentity" });
  });
});
