import { randomUUID } from "node:crypto";

/** Options of {@link buildArmEvent}. */
export interface ArmEventOptions {
  /** Resource id the event is about (`data.resourceUri` and `subject`). */
  resourceUri: string;
  /** @default "Microsoft.Kubernetes/connectedClusters/write" */
  operationName?: string;
  /** @default "Microsoft.Resources.ResourceWriteSuccess" */
  eventType?: string;
  /** Object id of the caller (the `objectidentifier` claim). */
  callerObjectId?: string;
  /** @default a random UUID */
  id?: string;
  /** @default "EventGridSchema" */
  schema?: "EventGridSchema" | "CloudEvents";
  /** @default now */
  time?: Date;
}

/**
 * Builds an Azure Resource Manager event as Event Grid delivers it for a subscription system
 * topic, in the shape of Azure's published samples (`resource_write_success.json`): for the
 * demo, the local runner and tests. Only the fields ARM sends are set; claims are placeholders.
 */
export function buildArmEvent(options: ArmEventOptions): Record<string, unknown> {
  const subscriptionId = /^\/subscriptions\/([^/]+)/i.exec(options.resourceUri)?.[1] ?? "";
  const operationName = options.operationName ?? "Microsoft.Kubernetes/connectedClusters/write";
  const eventType = options.eventType ?? "Microsoft.Resources.ResourceWriteSuccess";
  const time = (options.time ?? new Date()).toISOString();
  const id = options.id ?? randomUUID();
  const data = buildData(options, subscriptionId, operationName);

  if (options.schema === "CloudEvents") {
    const source = `/subscriptions/${subscriptionId}`;
    const subject = options.resourceUri;
    return { source, subject, type: eventType, time, id, data, specversion: "1.0" };
  }
  return {
    subject: options.resourceUri,
    eventType,
    eventTime: time,
    id,
    data,
    dataVersion: "2",
    metadataVersion: "1",
    topic: `/subscriptions/${subscriptionId}`,
  };
}

function buildData(options: ArmEventOptions, subscriptionId: string, operationName: string) {
  const callerObjectId = options.callerObjectId ?? "00000000-0000-0000-0000-0000000000aa";
  return {
    authorization: {
      scope: options.resourceUri,
      action: operationName,
      evidence: { role: "Contributor", principalId: callerObjectId, principalType: "User" },
    },
    claims: {
      aud: "https://management.azure.com/",
      iss: "https://sts.windows.net/00000000-0000-0000-0000-0000000000tt/",
      appid: "00000000-0000-0000-0000-0000000000ap",
      "http://schemas.microsoft.com/identity/claims/objectidentifier": callerObjectId,
      ver: "1.0",
    },
    correlationId: randomUUID(),
    resourceProvider: operationName.split("/")[0],
    resourceUri: options.resourceUri,
    operationName,
    status: "Succeeded",
    subscriptionId,
    tenantId: "00000000-0000-0000-0000-0000000000tt",
  };
}
