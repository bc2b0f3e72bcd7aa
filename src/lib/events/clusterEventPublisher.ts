import type { AzureKeyCredential, TokenCredential } from "@azure/core-auth";
import { EventGridPublisherClient, type SendEventGridEventInput } from "@azure/eventgrid";

import type { ClusterReport } from "../reconcile/contract.js";

/** Publishes a cluster's outcome for downstream automation (a GitOps pipeline). */
export interface ClusterEventPublisher {
  /** Publishes `ClusterConverged` or `ClusterFailed`; other statuses publish nothing. */
  publish(report: ClusterReport): Promise<void>;
}

/** Event types published to the configured topic. */
export const OUTBOUND_EVENT_TYPES = {
  Converged: "ArcWorkloadIdentity.ClusterConverged",
  Failed: "ArcWorkloadIdentity.ClusterFailed",
} as const;

/** Manifests ride along while small; the pipeline can always read them over HTTP. */
const MAX_INLINE_MANIFEST_CHARS = 64 * 1024;

/**
 * An Event Grid publisher for a custom topic (Event Grid schema). Authenticates with the app's
 * identity (role "EventGrid Data Sender" on the topic) or, locally, a key.
 * @see https://learn.microsoft.com/azure/event-grid/post-to-custom-topic
 */
export function createClusterEventPublisher(
  endpoint: string,
  credential: TokenCredential | AzureKeyCredential,
  options: ConstructorParameters<typeof EventGridPublisherClient>[3] = {},
): ClusterEventPublisher {
  const client = new EventGridPublisherClient(endpoint, "EventGrid", credential, options);
  return {
    publish: async (report) => {
      const event = toOutboundEvent(report);
      if (event) await client.send([event]);
    },
  };
}

/**
 * The outbound event for a report: identities with client ids, the error when failed.
 * @returns undefined for statuses that are not published.
 */
export function toOutboundEvent(
  report: ClusterReport,
): SendEventGridEventInput<unknown> | undefined {
  if (report.status !== "Converged" && report.status !== "Failed") return undefined;
  const manifests =
    report.manifests.length <= MAX_INLINE_MANIFEST_CHARS ? report.manifests : undefined;

  return {
    eventType: OUTBOUND_EVENT_TYPES[report.status],
    subject: report.clusterId,
    dataVersion: "1.0",
    data: {
      clusterId: report.clusterId,
      status: report.status,
      policyVersion: report.policyVersion,
      reconcileId: report.reconcileId,
      issuer: report.issuer,
      identities: report.identities.map((i) => ({
        key: i.key,
        resourceId: i.resourceId,
        clientId: i.clientId,
        tenantId: i.tenantId,
        serviceAccounts: i.serviceAccounts,
      })),
      manifests,
      error: report.error,
    },
  };
}
