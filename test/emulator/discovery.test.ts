import https from "node:https";
import { afterEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../src/emulator/index.js";
import {
  type JsonBody,
  RG,
  clusterBody,
  clusterClient,
  clusterUrl,
  send,
  startTestEmulator,
} from "./support.js";

let emulator: RunningEmulator;
afterEach(async () => {
  await emulator.stop();
});

/** A plain GET with no token, as an OIDC client (or Entra ID) fetches discovery documents. */
function fetchPublic(url: string): Promise<{ status: number; body: JsonBody }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca: emulator.caPem }, (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      })
      .on("error", reject);
  });
}

async function issuerOf(name: string): Promise<string> {
  const cluster = await send(clusterClient(emulator), "GET", clusterUrl(emulator, name));
  return cluster.body.properties.oidcIssuerProfile.issuerUrl as string;
}

describe("OIDC discovery in the emulator", () => {
  it("serves <issuer>.well-known/openid-configuration and the JWKS without a token", async () => {
    emulator = await startTestEmulator({
      seed: { clusters: [{ resourceGroup: RG, name: "c", oidcIssuerProfile: { enabled: true } }] },
    });
    const issuer = await issuerOf("c");
    expect(issuer).toMatch(
      new RegExp(`^${emulator.url}/oidc/${emulator.tenantId}/[0-9a-f-]{36}/$`),
    );
    const discovery = await fetchPublic(`${issuer}.well-known/openid-configuration`);
    expect(discovery.body).toMatchObject({
      issuer,
      jwks_uri: `${issuer}openid/v1/jwks`,
      id_token_signing_alg_values_supported: ["RS256"],
    });
    const jwks = await fetchPublic(discovery.body.jwks_uri);
    expect(jwks.body.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
  });

  it.each([
    ["noTrailingSlash", (issuer: string) => issuer.slice(0, -1)],
    ["different", (issuer: string) => issuer.replace("127.0.0.1", "localhost")],
  ] as const)("states the issuer in the %s form when configured", async (form, expected) => {
    emulator = await startTestEmulator({
      config: { issuerForm: form },
      seed: { clusters: [{ resourceGroup: RG, name: "c", oidcIssuerProfile: { enabled: true } }] },
    });
    const issuer = await issuerOf("c");
    expect((await fetchPublic(`${issuer}.well-known/openid-configuration`)).body.issuer).toBe(
      expected(issuer),
    );
  });

  it("serves no document before the issuer is ready or after its cluster is deleted", async () => {
    emulator = await startTestEmulator({
      config: { delays: { issuerMs: 5_000 }, lro: { delete: "sync" } },
    });
    const client = clusterClient(emulator);
    await send(
      client,
      "PUT",
      clusterUrl(emulator, "c"),
      clusterBody({}, { oidcIssuerProfile: { enabled: true } }),
    );
    emulator.advanceClock(5_000);
    const issuer = await issuerOf("c");
    expect((await fetchPublic(`${issuer}.well-known/openid-configuration`)).status).toBe(200);
    await send(client, "DELETE", clusterUrl(emulator, "c"));
    expect((await fetchPublic(`${issuer}.well-known/openid-configuration`)).status).toBe(404);
  });
});
