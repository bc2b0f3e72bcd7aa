/**
 * Conformance of Microsoft.Authorization/roleAssignments with the official 2022-04-01 spec
 * (../shared/reference/specs): every response of a session through the operations the emulator
 * serves validates against its operation, and the official examples, replayed against a fresh
 * emulator seeded with what each presumes, answer the example's status with a valid body.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { beforeAll, describe, expect, it } from "vitest";

import {
  exampleFiles,
  loadSpec,
  missingReferenceMessage,
  ResponseValidator,
  specFolder,
  type OfficialSpec,
  type SpecOperation,
} from "./officialSpecs.js";
import {
  authorizationClient,
  driveRoleAssignments,
  type Exchange,
} from "./roleAssignmentsTraffic.js";
import { send, startTestEmulator, type JsonBody } from "./support.js";

type Json = Record<string, JsonBody>;
const missing = missingReferenceMessage();
const validator = new ResponseValidator();
let spec: OfficialSpec;

/** The scope-based operation of a path (the emulator serves every form through them). */
function operationOf(x: { method: string; url: string }): SpecOperation {
  const item = !/\/roleAssignments$/i.test(new URL(x.url).pathname);
  const id = item
    ? {
        GET: "RoleAssignments_Get",
        PUT: "RoleAssignments_Create",
        DELETE: "RoleAssignments_Delete",
      }[x.method]
    : "RoleAssignments_ListForScope";
  return spec.operations.find((o) => o.operationId === id)!;
}

function pathOf(example: Json): string {
  const p = example.parameters as Json;
  const base = "/providers/Microsoft.Authorization/roleAssignments";
  if (p.roleAssignmentId !== undefined) return `/${p.roleAssignmentId as string}`;
  if (p.scope !== undefined)
    return `/${p.scope as string}${base}${p.roleAssignmentName ? `/${p.roleAssignmentName as string}` : ""}`;
  const rg = p.resourceGroupName ? `/resourceGroups/${p.resourceGroupName as string}` : "";
  const resource = p.resourceName
    ? `/providers/${p.resourceProviderNamespace as string}/${p.resourceType as string}/${p.resourceName as string}`
    : "";
  return `/subscriptions/${p.subscriptionId as string}${rg}${resource}${base}`;
}

/** What the example's response shows must already exist (none for a create's 201 or a 204). */
function seedFrom(example: Json, status: string): Json | undefined {
  const body = (example.responses as Json)[status]?.body as Json | undefined;
  if (body === undefined || status === "201") return undefined;
  return (body.value as Json[] | undefined)?.[0] ?? body;
}

function withoutNulls(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutNulls);
  if (node === null || typeof node !== "object") return node;
  const entries = Object.entries(node as Json).filter(([, v]) => v !== null);
  return Object.fromEntries(entries.map(([k, v]) => [k, withoutNulls(v)]));
}

if (missing !== undefined) {
  describe("roleAssignments conformance", () => {
    it("needs ../shared/reference", () => {
      throw new Error(missing);
    });
  });
} else {
  beforeAll(async () => {
    spec = await loadSpec("authorization");
  });

  describe("roleAssignments conformance: live traffic", () => {
    it("validates every roleAssignments response at 2022-04-01", async () => {
      const emulator = await startTestEmulator();
      let exchanges: Exchange[];
      try {
        exchanges = await driveRoleAssignments(emulator);
      } finally {
        await emulator.stop();
      }
      const problems = exchanges.flatMap((x) =>
        validator
          .checkResponse(operationOf(x), x.status, x.body)
          .map((p) => `${x.method} ${x.url}: ${p}`),
      );
      expect(problems).toEqual([]);
      expect(exchanges.map((x) => `${operationOf(x).operationId} ${x.status}`)).toEqual([
        "RoleAssignments_Create 201",
        "RoleAssignments_Create 200",
        "RoleAssignments_Create 409",
        "RoleAssignments_Create 400",
        "RoleAssignments_Create 400",
        "RoleAssignments_Get 200",
        "RoleAssignments_Get 404",
        "RoleAssignments_ListForScope 200",
        "RoleAssignments_ListForScope 200",
        "RoleAssignments_ListForScope 200",
        "RoleAssignments_Delete 200",
        "RoleAssignments_Delete 204",
      ]);
    });
  });

  const cases = exampleFiles(specFolder("authorization")).flatMap((file) => {
    const example = JSON.parse(
      readFileSync(join(specFolder("authorization"), "examples", file), "utf8"),
    ) as Json;
    return Object.keys(example.responses as Json).map((status) => ({ file, status }));
  });

  describe("roleAssignments conformance: the official examples replayed", () => {
    it.each(cases)("$file answers $status", async ({ file, status }) => {
      const example = JSON.parse(readFileSync(join(spec.folder, "examples", file), "utf8")) as Json;
      const op = spec.operations.find((o) => o.operationId === spec.exampleOperations.get(file))!;
      // The official examples show null for createdBy, updatedBy and
      // delegatedManagedIdentityResourceId, which the spec types as plain strings (no
      // x-nullable): they are checked without those nulls. The emulator leaves them out.
      const expected = withoutNulls((example.responses as Json)[status]?.body);
      expect(
        validator.checkResponse(op, Number(status), expected),
        "the example validates",
      ).toEqual([]);

      const emulator = await startTestEmulator();
      try {
        const seed = seedFrom(example, status);
        const client = authorizationClient(emulator);
        const url = (path: string) => `${emulator.url}${path}?api-version=2022-04-01`;
        if (seed !== undefined) {
          const at = `${(seed.properties as Json).scope as string}/providers/Microsoft.Authorization/roleAssignments/${seed.name as string}`;
          const put = await send(client, "PUT", url(at), { properties: seed.properties as Json });
          expect(put.status, JSON.stringify(put.body)).toBe(201);
        }
        const request = (example.parameters as Json).parameters as Json | undefined;
        const response = await send(client, op.method as never, url(pathOf(example)), request);
        expect(response.status, JSON.stringify(response.body)).toBe(Number(status));
        expect(validator.checkResponse(op, response.status, response.body)).toEqual([]);
      } finally {
        await emulator.stop();
      }
    });
  });
}
