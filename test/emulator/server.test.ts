import https from "node:https";
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import {
  RG,
  SUB,
  clusterBody,
  clusterClient,
  clusterUrl,
  send,
  startTestEmulator,
  type JsonBody,
} from "./support.js";

let emulator: RunningEmulator;
afterEach(async () => {
  await emulator.stop();
});

function rawGet(
  url: string,
  options: https.RequestOptions,
): Promise<{ status: number; body: JsonBody; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, options, (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString()));
        res.on("end", () =>
          resolve({ status: res.statusCode!, body: JSON.parse(text), headers: res.headers }),
        );
      })
      .on("error", reject);
  });
}

describe("the emulator's front door", () => {
  it("answers a request without Authorization with 401 AuthenticationFailed", async () => {
    emulator = await startTestEmulator();
    const response = await rawGet(clusterUrl(emulator, "c"), { ca: emulator.caPem });
    expect(response.status).toBe(401);
    expect(response.body.error).toEqual({
      code: "AuthenticationFailed",
      message: "Authentication failed. The 'Authorization' header is missing.",
    });
  });

  it("starts with a fresh self-signed certificate for 127.0.0.1 and localhost, written to a file, and says it is not Azure", async () => {
    const lines: string[] = [];
    emulator = await startEmulator({ profile: "test", log: (line) => lines.push(line) });
    const cert = new X509Certificate(emulator.caPem);
    expect(cert.subjectAltName).toContain("DNS:localhost");
    expect(cert.subjectAltName).toContain("IP Address:127.0.0.1");
    expect(readFileSync(emulator.caPath, "utf8")).toBe(emulator.caPem);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/EMULATOR of Azure Resource Manager, not Azure/);
    expect(lines[0]).toContain(emulator.caPath);

    const local = await rawGet(clusterUrl(emulator, "c").replace("127.0.0.1", "localhost"), {
      ca: emulator.caPem,
      headers: { authorization: "Bearer x" },
    });
    expect(local.status).toBe(404);
    await expect(
      rawGet(clusterUrl(emulator, "c"), { headers: { authorization: "Bearer x" } }),
    ).rejects.toMatchObject({ code: expect.stringMatching(/SELF_SIGNED/) });
  });

  it("logs every request with its api-version, status, times, kind, resource type and x-ms-request-id", async () => {
    emulator = await startTestEmulator();
    const client = clusterClient(emulator);
    const response = await send(client, "PUT", clusterUrl(emulator, "c"), clusterBody());
    const entry = emulator.requestLog.at(-1)!;
    expect(entry).toMatchObject({
      method: "PUT",
      path: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Kubernetes/connectedClusters/c`,
      apiVersion: "2026-05-01",
      status: 201,
      kind: "write",
      resourceType: "Microsoft.Kubernetes/connectedClusters",
      requestId: response.headers.get("x-ms-request-id"),
    });
    expect(entry.end).toBeGreaterThanOrEqual(entry.start);
    emulator.clearRequestLog();
    expect(emulator.requestLog).toHaveLength(0);
  });

  it("runs every delay on one clock whose time scale can change at run time", async () => {
    emulator = await startTestEmulator({ config: { delays: { connectMs: 5_000 } } });
    const client = clusterClient(emulator);
    await send(client, "PUT", clusterUrl(emulator, "fast"), clusterBody());
    emulator.configure({ timeScale: 50 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const cluster = await send(client, "GET", clusterUrl(emulator, "fast"));
    expect(cluster.body.properties.connectivityStatus).toBe("Connected");
  });
});
