import { describe, expect, it } from "vitest";

import { buildArmEvent } from "../../../src/local/armEvents.js";
import { parseClusterEvents } from "../../../src/lib/events/parseClusterEvent.js";

const SUB = "11111111-2222-3333-4444-555555555555";
const CLUSTER = `/subscriptions/${SUB}/resourceGroups/rg-stores/providers/Microsoft.Kubernetes/connectedClusters/store-0042`;
const APP = "aaaaaaaa-0000-0000-0000-000000000001";

describe("parseClusterEvents", () => {
  it("selects the cluster of a connectedClusters/write event", async () => {
    const event = buildArmEvent({ resourceUri: CLUSTER, id: "e1" });

    const outcomes = await parseClusterEvents([event]);

    expect(outcomes).toEqual([
      { clusterId: CLUSTER, reason: "event", eventId: "e1", deleted: false },
    ]);
  });

  it("accepts a CloudEvents 1.0 event, single or as JSON text", async () => {
    const event = buildArmEvent({ resourceUri: CLUSTER, id: "c1", schema: "CloudEvents" });

    expect(await parseClusterEvents(event)).toEqual([
      { clusterId: CLUSTER, reason: "event", eventId: "c1", deleted: false },
    ]);
    expect(await parseClusterEvents(JSON.stringify([event, event]))).toHaveLength(2);
  });

  it("normalises casing of ARM's fixed segments and the subscription", async () => {
    const mixed = CLUSTER.replace("resourceGroups", "resourcegroups")
      .replace("Microsoft.Kubernetes/connectedClusters", "microsoft.kubernetes/CONNECTEDCLUSTERS")
      .replace(SUB, SUB.toUpperCase());

    const [outcome] = await parseClusterEvents(buildArmEvent({ resourceUri: mixed, id: "m" }));

    expect(outcome).toMatchObject({ clusterId: CLUSTER });
  });

  it("marks a delete event as deleted", async () => {
    const event = buildArmEvent({
      resourceUri: CLUSTER,
      id: "d1",
      eventType: "Microsoft.Resources.ResourceDeleteSuccess",
      operationName: "Microsoft.Kubernetes/connectedClusters/delete",
    });

    expect(await parseClusterEvents(event)).toEqual([
      { clusterId: CLUSTER, reason: "delete-event", eventId: "d1", deleted: true },
    ]);
  });

  it("selects the cluster of a tag write through the Tags API", async () => {
    const event = buildArmEvent({
      resourceUri: `${CLUSTER}/providers/Microsoft.Resources/tags/default`,
      operationName: "Microsoft.Resources/tags/write",
      id: "t1",
    });

    expect(await parseClusterEvents(event)).toEqual([
      { clusterId: CLUSTER, reason: "event", eventId: "t1", deleted: false },
    ]);
  });

  it.each([
    [
      "a deployment",
      `/subscriptions/${SUB}/resourceGroups/rg-stores/providers/Microsoft.Resources/deployments/d1`,
      "Microsoft.Resources/deployments/write",
      /deployment/,
    ],
    [
      "an extension under the cluster",
      `${CLUSTER}/providers/Microsoft.KubernetesConfiguration/extensions/flux`,
      "Microsoft.KubernetesConfiguration/extensions/write",
      /child resource/,
    ],
    [
      "a configuration under the cluster",
      `${CLUSTER}/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/c`,
      "Microsoft.Kubernetes/connectedClusters/write",
      /child resource/,
    ],
    [
      "a storage account",
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa`,
      "Microsoft.Storage/storageAccounts/write",
      /operation not handled/,
    ],
    [
      "tags on another resource",
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa/providers/Microsoft.Resources/tags/default`,
      "Microsoft.Resources/tags/write",
      /not a connectedCluster/,
    ],
    [
      "a tags operation on the cluster id itself",
      CLUSTER,
      "Microsoft.Resources/tags/write",
      /does not match/,
    ],
  ])("ignores %s", async (_name, resourceUri, operationName, why) => {
    const [outcome] = await parseClusterEvents(buildArmEvent({ resourceUri, operationName }));

    expect(outcome).toMatchObject({ ignored: expect.stringMatching(why), malformed: false });
  });

  it.each([
    ["'..' segments", CLUSTER.replace("rg-stores", "rg-stores/../rg-other")],
    ["an extra segment", `${CLUSTER}/extra`],
    ["an empty segment", CLUSTER.replace("/providers", "//providers")],
    ["a bad subscription", CLUSTER.replace(SUB, "not-a-guid")],
    ["a query string", `${CLUSTER}?x=1`],
    ["a cluster name with a space", `${CLUSTER} x`],
  ])("drops an id with %s as malformed", async (_name, resourceUri) => {
    const [outcome] = await parseClusterEvents(buildArmEvent({ resourceUri }));

    expect(outcome).toMatchObject({ malformed: true });
    expect(outcome).not.toHaveProperty("clusterId");
  });

  it.each([
    ["not JSON", "{nope"],
    ["a number", 42],
    ["an event without a topic", { ...buildArmEvent({ resourceUri: CLUSTER }), topic: undefined }],
    ["an event whose id is a number", { ...buildArmEvent({ resourceUri: CLUSTER }), id: 7 }],
    ["an event whose data is a string", { ...buildArmEvent({ resourceUri: CLUSTER }), data: "x" }],
    [
      "an event without an operation name",
      (() => {
        const event = buildArmEvent({ resourceUri: CLUSTER });
        return { ...event, data: { resourceUri: CLUSTER } };
      })(),
    ],
    [
      "a subject that disagrees with resourceUri",
      { ...buildArmEvent({ resourceUri: CLUSTER }), subject: `${CLUSTER}-other` },
    ],
  ])("drops %s as malformed", async (_name, payload) => {
    const [outcome] = await parseClusterEvents(payload);

    expect(outcome).toMatchObject({ malformed: true, ignored: expect.any(String) });
  });

  it("names the field that makes an event malformed", async () => {
    const event = buildArmEvent({ resourceUri: CLUSTER });
    delete event.eventType;
    const [outcome] = await parseClusterEvents(event);

    expect(outcome).toMatchObject({
      malformed: true,
      ignored: expect.stringContaining("'eventType'"),
    });
  });

  it("ignores events caused by the app's own identity when its principal is known", async () => {
    const event = buildArmEvent({ resourceUri: CLUSTER, callerObjectId: APP.toUpperCase() });

    const [own] = await parseClusterEvents(event, { appPrincipalId: APP });
    const [unknown] = await parseClusterEvents(event);

    expect(own).toMatchObject({ ignored: expect.stringMatching(/own identity/) });
    expect(unknown).toMatchObject({ clusterId: CLUSTER });
  });

  it("ignores clusters outside the allowed scopes", async () => {
    const event = buildArmEvent({ resourceUri: CLUSTER });

    const [outside] = await parseClusterEvents(event, {
      allowedScopes: [`/subscriptions/${SUB}/resourceGroups/rg-store`],
    });
    const [inside] = await parseClusterEvents(event, {
      allowedScopes: [`/subscriptions/${SUB}/resourceGroups/RG-STORES`],
    });

    expect(outside).toMatchObject({ ignored: expect.stringMatching(/outside/) });
    expect(inside).toMatchObject({ clusterId: CLUSTER });
  });

  it("ignores event types it does not handle", async () => {
    const event = buildArmEvent({
      resourceUri: CLUSTER,
      eventType: "Microsoft.Resources.ResourceActionSuccess",
      operationName: "Microsoft.Kubernetes/connectedClusters/listClusterUserCredential/action",
    });

    expect(await parseClusterEvents(event)).toEqual([
      expect.objectContaining({ ignored: "event type not handled", malformed: false }),
    ]);
  });
});
