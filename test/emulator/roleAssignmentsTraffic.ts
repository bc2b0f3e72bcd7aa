/**
 * Role assignment traffic for the conformance suite: a session through every roleAssignments
 * operation the emulator serves (successes and errors), recorded raw through the real
 * `@azure/arm-authorization` client's pipeline, and the replay of the official examples.
 */
import { randomUUID } from "node:crypto";

import { AuthorizationManagementClient } from "@azure/arm-authorization";

import type { RunningEmulator } from "../../src/emulator/index.js";
import { fixedCredential, emulatorTlsPolicy, send, SUB, type JsonBody } from "./support.js";

const PROVIDER = "/providers/Microsoft.Authorization/roleAssignments";
const API = "api-version=2022-04-01";
const ROLE =
  "/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6";

/** One recorded request and its response. */
export interface Exchange {
  method: "GET" | "PUT" | "DELETE";
  url: string;
  status: number;
  body: JsonBody;
}

/** The real SDK client against the emulator (no retries: every answer is recorded as sent). */
export function authorizationClient(emulator: RunningEmulator): AuthorizationManagementClient {
  return new AuthorizationManagementClient(fixedCredential, SUB, {
    endpoint: emulator.url,
    additionalPolicies: [{ position: "perCall", policy: emulatorTlsPolicy(emulator.caPem) }],
    retryOptions: { maxRetries: 0 },
  });
}

/** Walks every served operation: 201, 200, 400s, 409, 404, lists with filters, 200 and 204 deletes. */
export async function driveRoleAssignments(emulator: RunningEmulator): Promise<Exchange[]> {
  const client = authorizationClient(emulator);
  const exchanges: Exchange[] = [];
  const call = async (method: Exchange["method"], path: string, body?: unknown) => {
    const url = `${emulator.url}${path}${path.includes("?") ? "&" : "?"}${API}`;
    const response = await send(client, method, url, body);
    exchanges.push({ method, url, status: response.status, body: response.body });
    return response;
  };
  const scope = `/subscriptions/${SUB}/resourceGroups/rg-kv`;
  const name = randomUUID();
  const principalId = randomUUID();
  const body = (principal = principalId) => ({
    properties: {
      roleDefinitionId: ROLE,
      principalId: principal,
      principalType: "ServicePrincipal",
    },
  });

  await call("PUT", `${scope}${PROVIDER}/${name}`, body());
  await call("PUT", `${scope}${PROVIDER}/${name}`, body());
  await call("PUT", `${scope}${PROVIDER}/${randomUUID()}`, body());
  await call("PUT", `${scope}${PROVIDER}/${name}`, body(randomUUID()));
  await call("PUT", `${scope}${PROVIDER}/not-a-guid`, body());
  await call("GET", `${scope}${PROVIDER}/${name}`);
  await call("GET", `${scope}${PROVIDER}/${randomUUID()}`);
  await call("GET", `${scope}${PROVIDER}`);
  await call(
    "GET",
    `/subscriptions/${SUB}${PROVIDER}?$filter=${encodeURIComponent(`principalId eq '${principalId}'`)}`,
  );
  await call("GET", `${scope}/providers/Microsoft.KeyVault/vaults/kv${PROVIDER}?$filter=atScope()`);
  await call("DELETE", `${scope}${PROVIDER}/${name}`);
  await call("DELETE", `${scope}${PROVIDER}/${name}`);
  return exchanges;
}
