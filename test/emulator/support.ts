/**
 * Helpers for the emulator's tests: start an emulator (test profile, a shared certificate), and
 * build the real SDK clients against it, trusting its CA through a per-call pipeline policy.
 */
import { ConnectedKubernetesClient } from "@azure/arm-hybridkubernetes";
import { ManagedServiceIdentityClient } from "@azure/arm-msi";
import {
  createHttpHeaders,
  createPipelineRequest,
  type PipelinePolicy,
  type PipelineResponse,
} from "@azure/core-rest-pipeline";
import {
  startEmulator,
  type RunningEmulator,
  type StartEmulatorOptions,
} from "../../src/emulator/index.js";
import { generateTlsMaterial, type TlsMaterial } from "../../src/emulator/tls.js";
import { trustCaPolicy } from "../../src/lib/arm/armClientOptions.js";
import { createEmulatorCredential } from "../../src/lib/arm/emulatorCredential.js";

export const SUB = "00000000-0000-0000-0000-000000000001";
export const RG = "rg-test";
export const CLUSTERS = "/providers/Microsoft.Kubernetes/connectedClusters";
export const IDENTITIES = "/providers/Microsoft.ManagedIdentity/userAssignedIdentities";
export const AUDIENCE = "api://AzureADTokenExchange";

let tls: Promise<TlsMaterial> | undefined;

/** Starts an emulator with the "test" profile (no delays, throttling or faults) unless told otherwise. */
export async function startTestEmulator(
  options: StartEmulatorOptions = {},
): Promise<RunningEmulator> {
  tls ??= generateTlsMaterial();
  return startEmulator({ profile: "test", log: () => undefined, tls: await tls, ...options });
}

/** The project's emulator credential: a fixed token (the emulator accepts any bearer token). */
export const fixedCredential = createEmulatorCredential();

/** A per-call policy that trusts the emulator's self-signed certificate (the project's own). */
export const emulatorTlsPolicy = trustCaPolicy;

export interface ClientOptions {
  maxRetries?: number;
  extraPolicies?: PipelinePolicy[];
}

function clientOptions(emulator: RunningEmulator, options: ClientOptions) {
  return {
    endpoint: emulator.url,
    additionalPolicies: [
      { position: "perCall" as const, policy: emulatorTlsPolicy(emulator.caPem) },
      ...(options.extraPolicies ?? []).map((policy) => ({ position: "perRetry" as const, policy })),
    ],
    ...(options.maxRetries === undefined
      ? {}
      : {
          retryOptions: {
            maxRetries: options.maxRetries,
            retryDelayInMs: 10,
            maxRetryDelayInMs: 50,
          },
        }),
  };
}

export function msiClient(
  emulator: RunningEmulator,
  options: ClientOptions = {},
  subscriptionId = SUB,
): ManagedServiceIdentityClient {
  return new ManagedServiceIdentityClient(
    fixedCredential,
    subscriptionId,
    clientOptions(emulator, options),
  );
}

export function clusterClient(
  emulator: RunningEmulator,
  apiVersion = "2026-05-01",
  options: ClientOptions = {},
  subscriptionId = SUB,
): ConnectedKubernetesClient {
  return new ConnectedKubernetesClient(fixedCredential, subscriptionId, {
    ...clientOptions(emulator, options),
    apiVersion,
  });
}

/**
 * A JSON body as the tests read it: raw ARM JSON whose shape the assertions themselves check.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonBody = any;

export interface RawResponse {
  status: number;
  headers: PipelineResponse["headers"];
  body: JsonBody;
}

/** Sends raw JSON through a client's pipeline (auth, TLS, retries, its api-version rewrite). */
export async function send(
  client: {
    sendRequest: (request: ReturnType<typeof createPipelineRequest>) => Promise<PipelineResponse>;
  },
  method: "GET" | "PUT" | "PATCH" | "DELETE" | "POST",
  url: string,
  body?: unknown,
): Promise<RawResponse> {
  const request = createPipelineRequest({
    url,
    method,
    headers: createHttpHeaders({ "content-type": "application/json" }),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const response = await client.sendRequest(request);
  const text = response.bodyAsText ?? "";
  return {
    status: response.status,
    headers: response.headers,
    body: text === "" ? undefined : JSON.parse(text),
  };
}

export function clusterUrl(
  emulator: RunningEmulator,
  name: string,
  apiVersion = "2026-05-01",
  rg = RG,
  sub = SUB,
): string {
  return `${emulator.url}/subscriptions/${sub}/resourceGroups/${rg}${CLUSTERS}/${name}?api-version=${apiVersion}`;
}

export function identityUrl(emulator: RunningEmulator, name: string, rg = RG, sub = SUB): string {
  return `${emulator.url}/subscriptions/${sub}/resourceGroups/${rg}${IDENTITIES}/${name}?api-version=2024-11-30`;
}

export function credentialUrl(
  emulator: RunningEmulator,
  identity: string,
  name: string,
  rg = RG,
): string {
  return `${emulator.url}/subscriptions/${SUB}/resourceGroups/${rg}${IDENTITIES}/${identity}/federatedIdentityCredentials/${name}?api-version=2024-11-30`;
}

/** A minimal valid connectedCluster PUT body. */
export function clusterBody(
  extra: Record<string, unknown> = {},
  properties: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    location: "eastus",
    tags: {},
    identity: { type: "SystemAssigned" },
    ...extra,
    properties: {
      agentPublicKeyCertificate: "MIICYzCCAcygAwIBAgIBADANBgkq",
      distribution: "k3s",
      ...properties,
    },
  };
}

export function credentialBody(
  issuer: string,
  subject: string,
): { issuer: string; subject: string; audiences: string[] } {
  return { issuer, subject, audiences: [AUDIENCE] };
}

/** Expects `promise` to reject with a RestError of this status and ARM error code. */
export async function expectArmError(
  promise: Promise<unknown>,
  status: number,
  code: string,
): Promise<Error & { statusCode?: number; code?: string }> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  const error = caught as (Error & { statusCode?: number; code?: string }) | undefined;
  if (error === undefined) throw new Error(`expected ${status} ${code}, but the call succeeded`);
  if (error.statusCode !== status || error.code !== code) {
    throw new Error(
      `expected ${status} ${code}, got ${error.statusCode} ${error.code}: ${error.message}`,
    );
  }
  return error;
}
