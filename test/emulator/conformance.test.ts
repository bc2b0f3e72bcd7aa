/**
 * Conformance with the official REST specs (../shared/reference/specs):
 * 1. every response the emulator gives for the operations it serves, in a session that walks
 *    through all of them (successes and errors, both connectedClusters api-versions and the
 *    identity service), validates against its operation's response schema;
 * 2. the official examples, replayed against a fresh emulator seeded with what each request
 *    presumes, return the example's status and a body that validates.
 * Not replayed: the listClusterUserCredential examples (not served) and msi's
 * SystemAssignedIdentityGet (system-assigned identities are not served). The 2025-08-01-preview
 * UpdateClusterByPutExample names api-version 2024-12-01-preview (as published); it is replayed
 * at its folder's version.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ResponseValidator,
  exampleFiles,
  findOperation,
  loadCommonDefinition,
  loadSpec,
  missingReferenceMessage,
  specFolder,
  type OfficialSpec,
} from "./officialSpecs.js";
import { startTestEmulator, type JsonBody } from "./support.js";
import { replay, replayConfig, replaySeed } from "./exampleReplay.js";
import { driveClusters, driveIdentities, type Exchange } from "./conformanceTraffic.js";

type Json = Record<string, JsonBody>;
const missing = missingReferenceMessage();

if (missing !== undefined) {
  describe("conformance with the official specs", () => {
    it("needs ../shared/reference", () => {
      throw new Error(missing);
    });
  });
} else {
  const specs: Record<string, OfficialSpec> = {};
  let statusSchema: Json;
  let errorSchema: Json;
  const validator = new ResponseValidator();

  beforeAll(async () => {
    for (const name of ["clusters2026", "clustersPreview", "msi"] as const)
      specs[name] = await loadSpec(name);
    statusSchema = await loadCommonDefinition("OperationStatusResult");
    errorSchema = await loadCommonDefinition("ErrorResponse");
  });

  const specFor = (apiVersion: string | null, pathname: string): OfficialSpec => {
    if (apiVersion === "2025-08-01-preview") return specs.clustersPreview!;
    if (apiVersion === "2024-11-30" || /Microsoft\.ManagedIdentity/i.test(pathname))
      return specs.msi!;
    return specs.clusters2026!;
  };

  /** Problems of one recorded exchange against the spec, and the operation it was. */
  const checkExchange = (x: Exchange): { problems: string[]; operation?: string } => {
    const url = new URL(x.url);
    const tag = `${x.method} ${url.pathname} ${x.status}`;
    if (/\/operationStatuses\//i.test(url.pathname)) {
      const schema = x.status === 200 ? statusSchema : errorSchema;
      return {
        problems: validator.check(schema, x.body).map((p) => `${tag}: ${p}`),
        operation: `OperationStatus ${x.status}`,
      };
    }
    const spec = specFor(url.searchParams.get("api-version"), url.pathname);
    if (/\/operationResults\//i.test(url.pathname)) {
      const get = spec.operations.find((o) => o.operationId === "ConnectedCluster_Get")!;
      const problems =
        x.status === 200 || x.status >= 400
          ? validator.checkResponse(get, x.status, x.body)
          : x.body === undefined
            ? []
            : ["body on a 202/204"];
      return {
        problems: problems.map((p) => `${tag}: ${p}`),
        operation: `OperationResult ${x.status}`,
      };
    }
    const op = findOperation(spec, x.method, url.pathname);
    if (op === undefined) return { problems: [`${tag}: no operation in ${spec.name} matches`] };
    return {
      problems: validator.checkResponse(op, x.status, x.body).map((p) => `${tag}: ${p}`),
      operation: `${op.operationId} ${x.status}`,
    };
  };

  describe("conformance with the official specs: live traffic", () => {
    it.each(["2026-05-01", "2025-08-01-preview"])(
      "validates every connectedClusters response at %s",
      async (apiVersion) => {
        const exchanges = await driveClusters(apiVersion);
        const results = exchanges.map(checkExchange);
        expect(results.flatMap((r) => r.problems)).toEqual([]);
        const seen = new Set(results.map((r) => r.operation));
        const expected = [
          "ConnectedCluster_Get 200",
          "ConnectedCluster_Get 404",
          "ConnectedCluster_ListBySubscription 200",
          "ConnectedCluster_ListByResourceGroup 200",
          "ConnectedCluster_CreateOrReplace 201",
          "ConnectedCluster_CreateOrReplace 200",
          "ConnectedCluster_CreateOrReplace 400",
          "ConnectedCluster_CreateOrReplace 409",
          apiVersion === "2026-05-01"
            ? "ConnectedCluster_Update 202"
            : "ConnectedCluster_Update 200",
          "ConnectedCluster_Delete 202",
          "ConnectedCluster_Delete 200",
          "ConnectedCluster_Delete 204",
          "OperationStatus 200",
          "ConnectedCluster_Get 429",
          "ConnectedCluster_Get 500",
          "ConnectedCluster_Get 503",
        ];
        for (const operation of expected) expect(seen, `no ${operation} seen`).toContain(operation);
      },
    );

    it("validates every userAssignedIdentities and federatedIdentityCredentials response at 2024-11-30", async () => {
      const exchanges = await driveIdentities();
      const results = exchanges.map(checkExchange);
      expect(results.flatMap((r) => r.problems)).toEqual([]);
      const seen = new Set(results.map((r) => r.operation));
      const expected = [
        "UserAssignedIdentities_CreateOrUpdate 201",
        "UserAssignedIdentities_CreateOrUpdate 200",
        "UserAssignedIdentities_CreateOrUpdate 400",
        "UserAssignedIdentities_Get 200",
        "UserAssignedIdentities_Get 404",
        "UserAssignedIdentities_Update 200",
        "UserAssignedIdentities_ListByResourceGroup 200",
        "UserAssignedIdentities_ListBySubscription 200",
        "UserAssignedIdentities_Delete 200",
        "UserAssignedIdentities_Delete 204",
        "FederatedIdentityCredentials_CreateOrUpdate 201",
        "FederatedIdentityCredentials_CreateOrUpdate 200",
        "FederatedIdentityCredentials_CreateOrUpdate 400",
        "FederatedIdentityCredentials_CreateOrUpdate 404",
        "FederatedIdentityCredentials_CreateOrUpdate 405",
        "FederatedIdentityCredentials_CreateOrUpdate 409",
        "FederatedIdentityCredentials_CreateOrUpdate 429",
        "FederatedIdentityCredentials_Get 200",
        "FederatedIdentityCredentials_List 200",
        "FederatedIdentityCredentials_Delete 200",
        "FederatedIdentityCredentials_Delete 204",
        "Operations_List 200",
      ];
      for (const operation of expected) expect(seen, `no ${operation} seen`).toContain(operation);
    });
  });

  const EXCLUDED: Record<string, string> = {
    ConnectedCluster_ListClusterUserCredential: "listClusterUserCredential is not served",
    SystemAssignedIdentities_GetByScope: "system-assigned identities are not served",
  };

  /** Every (spec, example file, status) to replay. Read at collection time: the folder exists here. */
  const cases = (() => {
    const list: { spec: string; file: string; status: string }[] = [];
    for (const spec of ["clusters2026", "clustersPreview", "msi"] as const) {
      const dir = specFolder(spec);
      for (const file of exampleFiles(dir)) {
        const example = JSON.parse(readFileSync(join(dir, "examples", file), "utf8")) as Json;
        for (const status of Object.keys(example.responses as Json))
          list.push({ spec, file, status });
      }
    }
    return list;
  })();

  describe("conformance with the official specs: the official examples replayed", () => {
    it.each(cases)("$spec $file answers $status", async ({ spec: specName, file, status }) => {
      const spec = specs[specName]!;
      const example = JSON.parse(readFileSync(join(spec.folder, "examples", file), "utf8")) as Json;
      const operationId = spec.exampleOperations.get(file) ?? (example.operationId as string);
      if (EXCLUDED[operationId] !== undefined) {
        expect(operationId, `excluded: ${EXCLUDED[operationId]}`).toBeDefined();
        return;
      }
      const op = spec.operations.find((o) => o.operationId === operationId)!;
      const expectedBody = (example.responses as Json)[status]?.body as unknown;
      expect(
        validator.checkResponse(op, Number(status), expectedBody),
        "the example itself validates",
      ).toEqual([]);

      const emulator = await startTestEmulator(replayConfig(op, Number(status)));
      try {
        emulator.seed(replaySeed(op, Number(status), example));
        const response = await replay(emulator, spec, op, example);
        expect(response.status, JSON.stringify(response.body)).toBe(Number(status));
        expect(validator.checkResponse(op, response.status, response.body)).toEqual([]);
      } finally {
        await emulator.stop();
      }
    });
  });
}
