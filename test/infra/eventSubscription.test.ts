import { describe, expect, it } from "vitest";

import { HANDLED_EVENT_TYPES, HANDLED_OPERATIONS } from "../../src/lib/events/handledEvents.js";
import { NAMES } from "../../src/lib/config/names.js";
import { readTemplate } from "./support/loadTemplate.js";
import { onlyResource, resourcesOfType } from "./support/templateQueries.js";

const template = readTemplate("eventgrid.json");
const topic = onlyResource(template, "Microsoft.EventGrid/systemTopics");
const subscription = onlyResource(template, "Microsoft.EventGrid/systemTopics/eventSubscriptions");
const filter = subscription.properties.filter;

/** The nested deployment whose inline template holds a resource of `type`. */
function deploymentHolding(type: string) {
  return resourcesOfType(template, "Microsoft.Resources/deployments").find((d) =>
    (d.properties.template.resources as { type: string }[]).some((r) => r.type === type),
  )!;
}

function advancedFilter(key: string) {
  return (filter.advancedFilters as { key: string }[]).filter((f) => f.key === key);
}

describe("eventgrid.json system topic", () => {
  it("is the subscription's Resource Manager topic, global, with its own identity", () => {
    expect(topic.location).toBe("global");
    expect(topic.identity).toEqual({ type: "SystemAssigned" });
    expect(topic.properties).toEqual({
      source: "[subscription().id]",
      topicType: "Microsoft.Resources.Subscriptions",
    });
  });
});

describe("eventgrid.json event subscription", () => {
  it("delivers to the onClusterEvent function, one event per batch", () => {
    const inner = deploymentHolding("Microsoft.EventGrid/systemTopics/eventSubscriptions");
    const destination = subscription.properties.destination;

    expect(inner.properties.template.variables.functionName).toBe(NAMES.functions.onClusterEvent);
    expect(destination.endpointType).toBe("AzureFunction");
    expect(destination.properties.resourceId).toBe(
      "[format('{0}/functions/{1}', parameters('functionAppResourceId'), variables('functionName'))]",
    );
    expect(destination.properties.maxEventsPerBatch).toBe(1);
  });

  it("includes exactly the event types the code handles", () => {
    expect(filter.includedEventTypes).toEqual([...HANDLED_EVENT_TYPES]);
  });

  it("filters data.operationName to exactly the operations the code handles", () => {
    expect(advancedFilter("data.operationName")).toEqual([
      { operatorType: "StringIn", key: "data.operationName", values: [...HANDLED_OPERATIONS] },
    ]);
  });

  it("keeps only subjects under a connected cluster", () => {
    expect(advancedFilter("subject")).toEqual([
      {
        operatorType: "StringContains",
        key: "subject",
        values: ["/providers/Microsoft.Kubernetes/connectedClusters/"],
      },
    ]);
  });

  it("stays within Event Grid's 25 advanced filter values", () => {
    const values = (filter.advancedFilters as { values: unknown[] }[]).flatMap((f) => f.values);

    expect(values.length).toBeLessThanOrEqual(25);
  });

  it("retries with a policy and dead-letters with the topic's identity", () => {
    const deadLetter = subscription.properties.deadLetterWithResourceIdentity;

    expect(subscription.properties.retryPolicy).toEqual({
      maxDeliveryAttempts: "[parameters('maxDeliveryAttempts')]",
      eventTimeToLiveInMinutes: "[parameters('eventTimeToLiveInMinutes')]",
    });
    expect(deadLetter.identity).toEqual({ type: "SystemAssigned" });
    expect(deadLetter.deadLetterDestination).toEqual({
      endpointType: "StorageBlob",
      properties: {
        resourceId: "[parameters('deadLetterStorageAccountResourceId')]",
        blobContainerName: "[parameters('deadLetterContainerName')]",
      },
    });
    expect(subscription.properties.deadLetterDestination).toBeUndefined();
  });
});

describe("eventgrid.json dead-letter role", () => {
  const roleDeployment = deploymentHolding("Microsoft.Authorization/roleAssignments");

  it("is granted in the storage account's own subscription and resource group", () => {
    expect(roleDeployment.subscriptionId).toBe("[variables('deadLetterSubscriptionId')]");
    expect(roleDeployment.resourceGroup).toBe("[variables('deadLetterResourceGroup')]");
    expect(roleDeployment.condition).toBe("[parameters('grantDeadLetterRole')]");
  });

  it("goes to the topic's identity, before the event subscription is created", () => {
    const subscriptionDeployment = deploymentHolding(
      "Microsoft.EventGrid/systemTopics/eventSubscriptions",
    );

    expect(roleDeployment.properties.parameters.principalId.value).toBe(
      "[reference(variables('topicDeploymentId'), '2025-04-01').outputs.principalId.value]",
    );
    expect(subscriptionDeployment.dependsOn).toContain("[variables('roleDeploymentId')]");
  });
});
