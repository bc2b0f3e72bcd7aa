/**
 * Sessions that walk through every operation the emulator serves, successes and errors, through
 * the real SDK clients, recording each exchange for the conformance suite to validate.
 */
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import type { RunningEmulator } from "../../src/emulator/index.js";
import {
  RG,
  clusterBody,
  clusterClient,
  credentialBody,
  credentialUrl,
  identityUrl,
  msiClient,
  send,
  startTestEmulator,
} from "./support.js";

export interface Exchange {
  method: string;
  url: string;
  status: number;
  body: unknown;
}

const FLEET = new URL("../../examples/fleet.json", import.meta.url).pathname;
const FLEET_SUB = "00000000-0000-0000-0000-000000000001";
const MINUTE = 60_000;

/** A policy that records every attempt's request and response. */
function recorder(exchanges: Exchange[]): PipelinePolicy {
  return {
    name: "recordExchanges",
    sendRequest: async (request, next) => {
      const response = await next(request);
      const text = response.bodyAsText ?? "";
      exchanges.push({
        method: request.method,
        url: request.url,
        status: response.status,
        body: text === "" ? undefined : JSON.parse(text),
      });
      return response;
    },
  };
}

/** Every connectedClusters operation at one api-version, including its errors. */
export async function driveClusters(apiVersion: string): Promise<Exchange[]> {
  const exchanges: Exchange[] = [];
  const emulator = await startTestEmulator({ seed: FLEET, config: { pageSize: 2 } });
  try {
    const client = clusterClient(
      emulator,
      apiVersion,
      { maxRetries: 0, extraPolicies: [recorder(exchanges)] },
      FLEET_SUB,
    );
    const url = (name: string, rg = RG) =>
      `${emulator.url}/subscriptions/${FLEET_SUB}/resourceGroups/${rg}/providers/Microsoft.Kubernetes/connectedClusters/${name}?api-version=${apiVersion}`;
    const list = (scope: string) =>
      `${emulator.url}/subscriptions/${FLEET_SUB}${scope}/providers/Microsoft.Kubernetes/connectedClusters?api-version=${apiVersion}`;

    await followPages(client, list(""));
    await followPages(client, list("/resourceGroups/rg-plants"));
    await send(client, "GET", url("aksarc-hq-01", "rg-aksarc"));

    emulator.configure({
      delays: { connectMs: MINUTE, issuerMs: MINUTE, agentMs: MINUTE, operationMs: MINUTE },
    });
    const body = clusterBody(
      { tags: { site: "lab" } },
      {
        oidcIssuerProfile: { enabled: true },
        securityProfile: { workloadIdentity: { enabled: true } },
        gateway: { enabled: true },
      },
    );
    const created = await send(client, "PUT", url("lab-1"), body);
    await send(client, "GET", url("lab-1"));
    await send(client, "GET", created.headers.get("azure-asyncoperation")!);
    emulator.advanceClock(2 * MINUTE);
    const current = await send(client, "GET", url("lab-1"));
    await send(client, "GET", created.headers.get("azure-asyncoperation")!);
    await send(client, "PUT", url("lab-1"), current.body);
    await send(client, "PUT", url("lab-2"), { ...clusterBody(), identity: undefined });

    const patched = await send(client, "PATCH", url("lab-1"), {
      tags: { site: "lab", patched: "yes" },
      properties: { distributionVersion: "1.31" },
    });
    const location = patched.headers.get("location");
    if (location !== undefined) {
      await send(client, "GET", location);
      emulator.advanceClock(2 * MINUTE);
      await send(client, "GET", location);
    }

    emulator.configure({ lro: { outcome: "Failed" } });
    const failed = await send(client, "PUT", url("lab-1"), current.body);
    emulator.advanceClock(2 * MINUTE);
    await send(client, "GET", failed.headers.get("azure-asyncoperation")!);
    emulator.configure({ lro: { outcome: "Succeeded" } });

    const deleting = await send(client, "DELETE", url("lab-1"));
    await send(client, "PUT", url("lab-1"), current.body);
    await send(client, "GET", deleting.headers.get("location")!);
    emulator.advanceClock(2 * MINUTE);
    await send(client, "GET", deleting.headers.get("location")!);
    await send(client, "DELETE", url("lab-1"));
    await send(client, "GET", url("lab-1"));
    emulator.configure({ lro: { delete: "sync" } });
    await send(client, "DELETE", url("tkgm-plant-p02", "rg-plants"));

    await faultsAndThrottling(emulator, () =>
      send(client, "GET", url("k3s-store-0042", "rg-stores-east")),
    );
    await send(client, "GET", url("x").replace(apiVersion, "2099-01-01"));
    return exchanges;
  } finally {
    await emulator.stop();
  }
}

async function followPages(client: Parameters<typeof send>[0], first: string): Promise<void> {
  let next: string | undefined = first;
  while (next !== undefined)
    next = ((await send(client, "GET", next)).body as { nextLink?: string }).nextLink;
}

async function faultsAndThrottling(
  emulator: RunningEmulator,
  call: () => Promise<unknown>,
): Promise<void> {
  emulator.configure({ throttling: { enabled: true, reads: { burst: 1, refillPerSec: 0.01 } } });
  await call();
  await call();
  emulator.configure({ throttling: { enabled: false }, faults: { rate: 1, kinds: ["500"] } });
  await call();
  emulator.configure({ faults: { kinds: ["503"] } });
  await call();
  emulator.configure({ faults: { rate: 0 } });
}

/** Every userAssignedIdentities and federatedIdentityCredentials operation, including errors. */
export async function driveIdentities(): Promise<Exchange[]> {
  const exchanges: Exchange[] = [];
  const emulator = await startTestEmulator({ config: { pageSize: 2, ficLimitPerIdentity: 2 } });
  try {
    const client = msiClient(emulator, { maxRetries: 0, extraPolicies: [recorder(exchanges)] });
    const fic = (identity: string, name: string) => credentialUrl(emulator, identity, name);
    const issuer = "https://127.0.0.1:1/oidc/tenant/issuer/";

    for (const name of ["id-a", "id-b", "id-c"])
      await send(client, "PUT", identityUrl(emulator, name), {
        location: "eastus",
        tags: { owner: "arc-wi" },
      });
    await send(client, "PUT", identityUrl(emulator, "id-a"), {
      location: "eastus",
      properties: { isolationScope: "Regional" },
    });
    await send(client, "PUT", identityUrl(emulator, "x"), { location: "eastus" });
    await send(client, "GET", identityUrl(emulator, "id-a"));
    await send(client, "GET", identityUrl(emulator, "id-missing"));
    await send(client, "PATCH", identityUrl(emulator, "id-b"), { tags: { patched: "yes" } });
    await followPages(
      client,
      identityUrl(emulator, "").replace("/userAssignedIdentities/?", "/userAssignedIdentities?"),
    );
    await followPages(
      client,
      `${emulator.url}/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.ManagedIdentity/userAssignedIdentities?api-version=2024-11-30`,
    );
    await send(
      client,
      "GET",
      `${emulator.url}/providers/Microsoft.ManagedIdentity/operations?api-version=2024-11-30`,
    );

    await send(client, "PUT", fic("id-a", "fic-1"), {
      properties: credentialBody(issuer, "system:serviceaccount:a:one"),
    });
    await send(client, "PUT", fic("id-a", "fic-1"), {
      properties: credentialBody(issuer, "system:serviceaccount:a:uno"),
    });
    await send(client, "PUT", fic("id-a", "fic-2"), {
      properties: credentialBody(issuer, "system:serviceaccount:a:two"),
    });
    await send(client, "PUT", fic("id-a", "fic-3"), {
      properties: credentialBody(issuer, "system:serviceaccount:a:three"),
    });
    await send(client, "PUT", fic("id-b", "fic-dup"), {
      properties: credentialBody(issuer, "system:serviceaccount:b:x"),
    });
    await send(client, "PUT", fic("id-b", "fic-dup2"), {
      properties: credentialBody(issuer, "system:serviceaccount:b:x"),
    });
    await send(client, "PUT", fic("id-b", "-bad"), {
      properties: credentialBody(issuer, "system:serviceaccount:b:y"),
    });
    await send(client, "PUT", fic("id-b", "fic-empty"), { properties: {} });
    await send(client, "PUT", fic("id-b", "fic-aud"), {
      properties: { ...credentialBody(issuer, "s"), audiences: [] },
    });
    await send(client, "PUT", fic("id-missing", "fic-1"), {
      properties: credentialBody(issuer, "s"),
    });
    await send(client, "GET", fic("id-a", "fic-1"));
    await followPages(client, `${fic("id-a", "x").replace("/x?", "?")}&$top=1`);

    await send(client, "PUT", identityUrl(emulator, "id-nz"), { location: "newzealandnorth" });
    await send(client, "PUT", fic("id-nz", "fic-1"), { properties: credentialBody(issuer, "s") });

    emulator.configure({ delays: { ficWriteLatencyMs: 200 } });
    await Promise.all(
      ["fic-p", "fic-q"].map((name, i) =>
        send(client, "PUT", fic("id-c", name), {
          properties: credentialBody(issuer, `system:serviceaccount:c:${i}`),
        }),
      ),
    );
    emulator.configure({ delays: { ficWriteLatencyMs: 0 }, throttling: { enabled: true } });
    await send(client, "PUT", fic("id-c", "fic-r"), {
      properties: credentialBody(issuer, "system:serviceaccount:c:r"),
    });
    await send(client, "PUT", fic("id-c", "fic-s"), {
      properties: credentialBody(issuer, "system:serviceaccount:c:s"),
    });
    emulator.configure({ throttling: { enabled: false }, delays: { consistencyMs: MINUTE } });
    await send(client, "PUT", identityUrl(emulator, "id-new"), { location: "eastus" });
    await send(client, "GET", identityUrl(emulator, "id-new"));
    await send(client, "PUT", fic("id-new", "fic-1"), { properties: credentialBody(issuer, "s") });

    await send(client, "DELETE", fic("id-a", "fic-1"));
    await send(client, "DELETE", fic("id-a", "fic-1"));
    await send(client, "DELETE", identityUrl(emulator, "id-a"));
    await send(client, "DELETE", identityUrl(emulator, "id-a"));
    return exchanges;
  } finally {
    await emulator.stop();
  }
}
