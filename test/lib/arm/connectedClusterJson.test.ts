import { readFileSync } from "node:fs";
import { join } from "node:path";

import { beforeAll, describe, expect, it } from "vitest";

import {
  buildEnableFeaturesBody,
  type ConnectedClusterJson,
} from "../../../src/lib/arm/connectedClusterJson.js";
import {
  findOperation,
  loadSpec,
  missingReferenceMessage,
  ResponseValidator,
  specFolder,
} from "../../emulator/officialSpecs.js";

const CLUSTER_PATH =
  "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/c1";

let putSchema: Record<string, unknown>;
let getBody: ConnectedClusterJson;

beforeAll(async () => {
  const missing = missingReferenceMessage();
  if (missing) throw new Error(missing);
  const spec = await loadSpec("clusters2026");
  const put = findOperation(spec, "PUT", CLUSTER_PATH);
  const parameters = (put?.operation.parameters ?? []) as {
    in: string;
    schema?: Record<string, unknown>;
  }[];
  putSchema = parameters.find((p) => p.in === "body")!.schema!;
  const examplePath = join(specFolder("clusters2026"), "examples/UpdateClusterByPutExample.json");
  const example = JSON.parse(readFileSync(examplePath, "utf8")) as {
    responses: { "200": { body: ConnectedClusterJson } };
  };
  getBody = example.responses["200"].body;
});

describe("buildEnableFeaturesBody", () => {
  it("builds a PUT body that validates against the official 2026-05-01 ConnectedCluster schema", () => {
    const body = buildEnableFeaturesBody(getBody);
    expect(new ResponseValidator().check(putSchema, body)).toEqual([]);
  });

  it("sends back no read-only property of the spec", () => {
    const body = buildEnableFeaturesBody(fullGet());
    expect(readOnlyPathsIn(body, putSchema)).toEqual([]);
    // The check itself can fail: the GET body is full of read-only fields.
    expect(readOnlyPathsIn(fullGet(), putSchema)).toEqual(
      expect.arrayContaining([
        "properties.connectivityStatus",
        "properties.oidcIssuerProfile.issuerUrl",
        "identity.principalId",
      ]),
    );
  });

  it("keeps every writable property unchanged and changes only the two flags", () => {
    const get = fullGet();
    const body = buildEnableFeaturesBody(get);
    expect(body.properties?.oidcIssuerProfile).toEqual({
      enabled: true,
      selfHostedIssuerUrl: "https://self/",
    });
    expect(body.properties?.securityProfile).toEqual({ workloadIdentity: { enabled: true } });
    for (const key of [
      "agentPublicKeyCertificate",
      "aadProfile",
      "gateway",
      "arcAgentryConfigurations",
      "privateLinkState",
      "azureHybridBenefit",
      "distribution",
      "infrastructure",
    ]) {
      expect(body.properties?.[key], key).toEqual(get.properties?.[key]);
    }
    expect(body.identity).toEqual({ type: "SystemAssigned" });
    expect(body.tags).toEqual(get.tags);
    expect(body.kind).toBe("ProvisionedCluster");
    expect(body.properties?.arcAgentProfile).toEqual({
      agentAutoUpgrade: "Disabled",
      systemComponents: [{ type: "x", majorVersion: 1 }],
    });
  });

  it("drops nulls and never defaults a property the GET did not have", () => {
    const body = buildEnableFeaturesBody({
      location: "eastus",
      identity: { type: "SystemAssigned" },
      properties: {
        agentPublicKeyCertificate: "k",
        privateLinkScopeResourceId: null as unknown as string,
      },
    });
    expect(body).toEqual({
      location: "eastus",
      identity: { type: "SystemAssigned" },
      properties: {
        agentPublicKeyCertificate: "k",
        oidcIssuerProfile: { enabled: true },
        securityProfile: { workloadIdentity: { enabled: true } },
      },
    });
  });
});

function fullGet(): ConnectedClusterJson {
  return {
    ...structuredClone(getBody),
    kind: "ProvisionedCluster",
    tags: { env: "prod" },
    identity: { type: "SystemAssigned", principalId: "p", tenantId: "t" },
    properties: {
      agentPublicKeyCertificate: "MIIB",
      kubernetesVersion: "1.30",
      totalNodeCount: 3,
      connectivityStatus: "Connected",
      provisioningState: "Succeeded",
      distribution: "k3s",
      infrastructure: "generic",
      privateLinkState: "Disabled",
      azureHybridBenefit: "NotApplicable",
      aadProfile: { enableAzureRBAC: true, adminGroupObjectIDs: ["g"], tenantID: "t" },
      gateway: { enabled: false },
      arcAgentryConfigurations: [{ feature: "logging", settings: { a: "b" } }],
      arcAgentProfile: {
        agentAutoUpgrade: "Disabled",
        agentState: "Succeeded",
        agentErrors: [{ message: "m" }],
        systemComponents: [{ type: "x", majorVersion: 1, currentVersion: "1.2" }],
      },
      oidcIssuerProfile: {
        enabled: false,
        issuerUrl: "https://old/",
        selfHostedIssuerUrl: "https://self/",
      },
      miscellaneousProperties: { a: "b" },
    },
  };
}

function readOnlyPathsIn(value: unknown, schema: Record<string, unknown>, path = ""): string[] {
  if (value === null || typeof value !== "object") return [];
  const props = collectProperties(schema);
  const found: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const sub = props[key];
    if (!sub) continue;
    if (sub.readOnly === true) found.push(`${path}${key}`);
    const itemSchema = Array.isArray(item) ? (sub.items as Record<string, unknown>) : sub;
    const items = Array.isArray(item) ? item : [item];
    for (const i of items) found.push(...readOnlyPathsIn(i, itemSchema ?? {}, `${path}${key}.`));
  }
  return found;
}

function collectProperties(
  schema: Record<string, unknown>,
): Record<string, Record<string, unknown>> {
  const own = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const inherited = ((schema.allOf ?? []) as Record<string, unknown>[]).map(collectProperties);
  return Object.assign({}, ...inherited, own) as Record<string, Record<string, unknown>>;
}
