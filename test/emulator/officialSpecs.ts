/**
 * The official REST specs the emulator is checked against (../shared/reference/specs), loaded
 * with @apidevtools/swagger-parser after dropping `x-ms-examples` (some point at files not kept),
 * and an ajv draft-04 validator for their response schemas.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import SwaggerParser from "@apidevtools/swagger-parser";
import type { JsonBody } from "./support.js";

type AjvClass = typeof import("ajv-draft-04").default;
type Ajv = InstanceType<AjvClass>;
type ValidateFunction = ReturnType<Ajv["compile"]>;
const require = createRequire(import.meta.url);
const AjvDraft04 = (require("ajv-draft-04") as { default: AjvClass }).default;
const addFormats = (require("ajv-formats") as { default: (ajv: Ajv) => Ajv }).default;

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** ../shared/reference beside the repository. */
export const REFERENCE_DIR =
  process.env.ARC_WI_REFERENCE_DIR ?? resolve(REPO, "../shared/reference");
const SPEC_ROOT = join(REFERENCE_DIR, "specs/specification");

/** Undefined when the reference folder is there; otherwise the message the suite fails with. */
export function missingReferenceMessage(): string | undefined {
  if (existsSync(SPEC_ROOT)) return undefined;
  return (
    `The official specs are absent: ${REFERENCE_DIR} (../shared/reference from the repository root) ` +
    "does not exist or has no specs/specification folder. The conformance suite replays the official " +
    "swaggers and examples kept there; restore shared/reference beside the repository and run again."
  );
}

type Json = Record<string, JsonBody>;

export interface SpecOperation {
  operationId: string;
  method: string;
  template: string;
  operation: Json;
}

export interface OfficialSpec {
  name: string;
  apiVersion: string;
  folder: string;
  operations: SpecOperation[];
  /** Example file name → operationId, from the spec's own x-ms-examples (read before dropping them). */
  exampleOperations: Map<string, string>;
}

export const SPEC_FILES = {
  clusters2026:
    "hybridkubernetes/resource-manager/Microsoft.Kubernetes/stable/2026-05-01/connectedClusters.json",
  clustersPreview:
    "hybridkubernetes/resource-manager/Microsoft.Kubernetes/preview/2025-08-01-preview/connectedClusters.json",
  msi: "msi/resource-manager/Microsoft.ManagedIdentity/stable/2024-11-30/ManagedIdentity.json",
  authorization:
    "authorization/resource-manager/Microsoft.Authorization/Authorization/stable/2022-04-01/authorization-RoleAssignmentsCalls.json",
} as const;

function collectExamples(raw: Json): Map<string, string> {
  const index = new Map<string, string>();
  for (const ops of Object.values(raw.paths as Json)) {
    for (const op of Object.values(ops as Json)) {
      for (const ref of Object.values((op as Json)["x-ms-examples"] ?? {})) {
        index.set(basename((ref as Json).$ref as string), (op as Json).operationId as string);
      }
    }
  }
  return index;
}

function dropKey(node: unknown, key: string): void {
  if (node === null || typeof node !== "object") return;
  if (!Array.isArray(node)) delete (node as Json)[key];
  for (const child of Object.values(node as Json)) dropKey(child, key);
}

/** Loads and dereferences one of the official swaggers. */
export async function loadSpec(name: keyof typeof SPEC_FILES): Promise<OfficialSpec> {
  const file = join(SPEC_ROOT, SPEC_FILES[name]);
  const raw = JSON.parse(readFileSync(file, "utf8")) as Json;
  const exampleOperations = collectExamples(raw);
  dropKey(raw, "x-ms-examples");
  const api = (await new SwaggerParser().dereference(file, raw as never, {})) as unknown as Json;
  const operations: SpecOperation[] = [];
  for (const [template, ops] of Object.entries(api.paths as Json)) {
    for (const [method, operation] of Object.entries(ops as Json)) {
      if (method === "parameters") continue;
      operations.push({
        operationId: (operation as Json).operationId as string,
        method: method.toUpperCase(),
        template,
        operation: operation as Json,
      });
    }
  }
  return {
    name,
    apiVersion: (api.info as Json).version as string,
    folder: dirname(file),
    operations,
    exampleOperations,
  };
}

/** A definition from common-types v3 (the status monitor has no operation in the RP's spec). */
export async function loadCommonDefinition(definition: string): Promise<Json> {
  const file = join(SPEC_ROOT, "common-types/resource-management/v3/types.json");
  const raw = JSON.parse(readFileSync(file, "utf8")) as Json;
  const api = (await new SwaggerParser().dereference(file, raw as never, {})) as unknown as Json;
  return (api.definitions as Json)[definition] as Json;
}

/** The folder of one of the swaggers (its examples are in `examples/` below it). */
export function specFolder(name: keyof typeof SPEC_FILES): string {
  return dirname(join(SPEC_ROOT, SPEC_FILES[name]));
}

/** The example files kept beside a swagger. */
export function exampleFiles(folder: string): string[] {
  return readdirSync(join(folder, "examples"))
    .filter((f) => f.endsWith(".json"))
    .sort();
}

/** The operation whose path template matches `pathname` for `method` (ARM paths are case-insensitive). */
export function findOperation(
  spec: OfficialSpec,
  method: string,
  pathname: string,
): SpecOperation | undefined {
  return spec.operations.find((op) => {
    if (op.method !== method || op.template.startsWith("/{scope}")) return false;
    const pattern = op.template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+");
    return new RegExp(`^${pattern}$`, "i").test(pathname);
  });
}

/**
 * Ajv's view of a swagger schema: self-references cut (ajv cannot compile a cyclic object), and
 * `x-nullable` turned into "null is allowed".
 */
function toAjvSchema(node: unknown, ancestors = new Set<unknown>()): unknown {
  if (node === null || typeof node !== "object") return node;
  if (ancestors.has(node)) return {};
  ancestors.add(node);
  const out: unknown = Array.isArray(node)
    ? node.map((child) => toAjvSchema(child, ancestors))
    : Object.fromEntries(
        Object.entries(node as Json).map(([k, v]) => [k, toAjvSchema(v, ancestors)]),
      );
  ancestors.delete(node);
  if (!Array.isArray(out) && (out as Json)["x-nullable"] === true) {
    const rest = { ...(out as Json) };
    delete rest["x-nullable"];
    return { anyOf: [rest, { type: "null" }] };
  }
  return out;
}

export class ResponseValidator {
  private readonly ajv: Ajv;
  private readonly cache = new Map<object, ValidateFunction>();

  constructor() {
    this.ajv = new AjvDraft04({ strict: false, allErrors: true });
    addFormats(this.ajv);
    for (const format of [
      "arm-id",
      "uuid",
      "duration",
      "unixtime",
      "int32",
      "int64",
      "float",
      "double",
      "byte",
      "binary",
      "password",
    ]) {
      this.ajv.addFormat(format, true);
    }
  }

  /** Problems of `body` against `schema` (empty when it validates). */
  check(schema: object, body: unknown): string[] {
    let validate = this.cache.get(schema);
    if (validate === undefined) {
      validate = this.ajv.compile(toAjvSchema(schema) as object);
      this.cache.set(schema, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`,
    );
  }

  /**
   * Problems of a response against its operation: the status must be declared (errors fall to
   * `default`), a declared schema must validate, and a status without a schema has no body.
   */
  checkResponse(op: SpecOperation, status: number, body: unknown): string[] {
    const responses = op.operation.responses as Json;
    const declared = responses[String(status)] as Json | undefined;
    const response =
      declared ?? (status >= 400 ? (responses.default as Json | undefined) : undefined);
    if (response === undefined)
      return [`${op.operationId}: status ${status} is not declared by the spec`];
    if (response.schema === undefined) {
      return body === undefined
        ? []
        : [
            `${op.operationId}: status ${status} declares no body, got ${JSON.stringify(body).slice(0, 200)}`,
          ];
    }
    if (body === undefined)
      return [`${op.operationId}: status ${status} has a schema but the response has no body`];
    return this.check(response.schema as object, body).map(
      (p) => `${op.operationId} ${status}: ${p}`,
    );
  }
}
