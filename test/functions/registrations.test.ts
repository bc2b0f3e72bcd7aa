import { beforeAll, describe, expect, it } from "vitest";

import type { CapturedRegistry } from "../../src/local/functionsCore.js";
import { loadFunctionApp } from "../../src/local/loadFunctionApp.js";
import { NAMES } from "../../src/lib/config/names.js";

let registry: CapturedRegistry;

beforeAll(async () => {
  registry = await loadFunctionApp();
});

function triggerOf(name: string) {
  const fn = registry.functions.get(name);
  expect(fn, `function ${name} is registered`).toBeDefined();
  return fn!.trigger;
}

describe("function registrations, as the Functions worker receives them", () => {
  it("registers exactly the app's functions and its start hook", () => {
    expect([...registry.functions.keys()].sort()).toEqual(
      [
        NAMES.functions.onClusterEvent,
        NAMES.functions.syncWorker,
        NAMES.functions.poisonWorker,
        NAMES.functions.driftSweep,
        "syncCluster",
        "syncFleet",
        "getOperation",
        "getClusterStatus",
        "getClusterManifests",
      ].sort(),
    );
    expect(registry.hooks.map((h) => h.hookName)).toEqual(["appStart"]);
  });

  it("triggers onClusterEvent from Event Grid", () => {
    expect(triggerOf(NAMES.functions.onClusterEvent)).toMatchObject({
      type: "eventGridTrigger",
      direction: "in",
    });
  });

  it.each([
    [NAMES.functions.syncWorker, NAMES.syncQueue],
    [NAMES.functions.poisonWorker, NAMES.poisonQueue],
  ])("triggers %s from queue %s on the app's storage", (name, queueName) => {
    expect(triggerOf(name)).toMatchObject({
      type: "queueTrigger",
      queueName,
      connection: "AzureWebJobsStorage",
    });
  });

  it("runs driftSweep on the schedule of the ARC_WI_DRIFT_SCHEDULE setting", () => {
    expect(triggerOf(NAMES.functions.driftSweep)).toMatchObject({
      type: "timerTrigger",
      schedule: "%ARC_WI_DRIFT_SCHEDULE%",
    });
  });

  it.each([
    ["syncCluster", "clusters/{subscriptionId}/{resourceGroup}/{clusterName}/sync", "POST"],
    ["syncFleet", "sync", "POST"],
    ["getOperation", "operations/{operationId}", "GET"],
    ["getClusterStatus", "clusters/{subscriptionId}/{resourceGroup}/{clusterName}/status", "GET"],
    [
      "getClusterManifests",
      "clusters/{subscriptionId}/{resourceGroup}/{clusterName}/manifests",
      "GET",
    ],
  ])("routes %s at /api/%s for %s only, with a function key", (name, route, method) => {
    const fn = registry.functions.get(name)!;

    expect(fn.trigger).toMatchObject({
      type: "httpTrigger",
      route,
      methods: [method],
      authLevel: "function",
    });
    expect(fn.bindings).toContainEqual(expect.objectContaining({ type: "http", direction: "out" }));
  });
});
