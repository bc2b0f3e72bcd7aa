import type { TokenCredential } from "@azure/core-auth";
import { TableClient } from "@azure/data-tables";
import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import { QueueServiceClient, type QueueClient } from "@azure/storage-queue";

/**
 * How the app reaches its storage account: a connection string (Azurite, or a key-based
 * account), or the identity-based form (`AzureWebJobsStorage__accountName` and a credential).
 */
export type StorageConnection =
  | { connectionString: string }
  | { accountName: string; credential: TokenCredential; endpointSuffix?: string };

/** A queue of the app's storage account. Does not create it. */
export function createQueueClient(connection: StorageConnection, queueName: string): QueueClient {
  const service =
    "connectionString" in connection
      ? QueueServiceClient.fromConnectionString(connection.connectionString)
      : new QueueServiceClient(serviceUrl(connection, "queue"), connection.credential);
  return service.getQueueClient(queueName);
}

/** A table of the app's storage account. Does not create it. */
export function createTableClient(connection: StorageConnection, tableName: string): TableClient {
  if ("connectionString" in connection) {
    // Azurite speaks plain http on 127.0.0.1; the SDK refuses http unless told otherwise.
    const insecure = /TableEndpoint=http:/i.test(connection.connectionString);
    return TableClient.fromConnectionString(connection.connectionString, tableName, {
      allowInsecureConnection: insecure,
    });
  }
  return new TableClient(serviceUrl(connection, "table"), tableName, connection.credential);
}

/** A blob container of the app's storage account. Does not create it. */
export function createContainerClient(
  connection: StorageConnection,
  containerName: string,
): ContainerClient {
  const service =
    "connectionString" in connection
      ? BlobServiceClient.fromConnectionString(connection.connectionString)
      : new BlobServiceClient(serviceUrl(connection, "blob"), connection.credential);
  return service.getContainerClient(containerName);
}

function serviceUrl(
  connection: { accountName: string; endpointSuffix?: string },
  service: "queue" | "table" | "blob",
): string {
  const suffix = connection.endpointSuffix ?? "core.windows.net";
  return `https://${connection.accountName}.${service}.${suffix}`;
}
