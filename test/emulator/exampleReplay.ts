/**
 * Replaying an official example against the emulator: the configuration and the seed that make
 * the example's status the emulator's answer, and the request built from its parameters.
 */
import type { EmulatorSeed, RunningEmulator } from "../../src/emulator/index.js";
import type { OfficialSpec, SpecOperation } from "./officialSpecs.js";
import { clusterClient, msiClient, send, type JsonBody } from "./support.js";

type Json = Record<string, JsonBody>;

export function replayConfig(op: SpecOperation, status: number) {
  if (op.operationId === "ConnectedCluster_Update")
    return { config: { lro: { patch: status === 200 ? "sync" : "async" } as const } };
  if (op.operationId === "ConnectedCluster_Delete")
    return { config: { lro: { delete: status === 200 ? "sync" : "async" } as const } };
  return {};
}

/** What the example's request presumes exists: the addressed resource (or only its parent). */
export function replaySeed(op: SpecOperation, status: number, example: Json): EmulatorSeed {
  const p = example.parameters as Json;
  const id = op.operationId;
  const targetExists = !(
    (/CreateOr/.test(id) && status === 201) ||
    (/_Delete$/.test(id) && status === 204)
  );
  const subscriptionId = p.subscriptionId as string | undefined;
  const resourceGroup = (p.resourceGroupName as string | undefined) ?? "rg-seeded";
  if (id.startsWith("ConnectedCluster_")) {
    if (!targetExists) return {};
    const kind = ((example.responses as Json)[String(status)]?.body as Json | undefined)?.kind as
      string | undefined;
    return {
      clusters: [
        {
          subscriptionId,
          resourceGroup,
          name: (p.clusterName as string | undefined) ?? "seeded-cluster",
          ...(kind === undefined ? {} : { kind }),
        },
      ],
    };
  }
  if (id.startsWith("UserAssignedIdentities_")) {
    return targetExists
      ? {
          identities: [
            {
              subscriptionId,
              resourceGroup,
              name: (p.resourceName as string | undefined) ?? "seeded-identity",
              location: "eastus",
            },
          ],
        }
      : {};
  }
  if (id.startsWith("FederatedIdentityCredentials_")) {
    const ficName =
      (p.federatedIdentityCredentialResourceName as string | undefined) ?? "seeded-credential";
    const credentials = targetExists
      ? [
          {
            name: ficName,
            issuer: "https://seeded.example/issuer/",
            subject: "system:serviceaccount:seed:seed",
          },
        ]
      : [];
    return {
      identities: [
        {
          subscriptionId,
          resourceGroup,
          name: p.resourceName as string,
          location: "eastus",
          federatedIdentityCredentials: credentials,
        },
      ],
    };
  }
  return {};
}

/** Sends the example's request (path from its parameters, its body, the spec's api-version). */
export async function replay(
  emulator: RunningEmulator,
  spec: OfficialSpec,
  op: SpecOperation,
  example: Json,
) {
  const p = example.parameters as Json;
  const path = op.template.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    encodeURIComponent(String(p[name])),
  );
  const top = p.$top ?? p.top;
  const url = `${emulator.url}${path}?api-version=${spec.apiVersion}${top === undefined ? "" : `&$top=${top}`}`;
  const bodyParam = ((op.operation.parameters ?? []) as Json[]).find((x) => x.in === "body");
  const body = bodyParam === undefined ? undefined : p[bodyParam.name as string];
  const client =
    spec.name === "msi"
      ? msiClient(emulator, { maxRetries: 0 })
      : clusterClient(emulator, spec.apiVersion, { maxRetries: 0 });
  return send(client, op.method as "GET", url, body);
}
