import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ajvDraft04, { type ErrorObject } from "ajv-draft-04";
import ajvFormats from "ajv-formats";

import type {
  DeploymentScope,
  JsonValue,
  LocatedResource,
  LocatedTemplate,
} from "./loadTemplate.js";
import { LOCAL_RESOURCE_SCHEMAS } from "./localResourceSchemas.js";
import { ARM_SCHEMA_DIR, ensureSchemaDir } from "./referencePaths.js";
import { TEMPLATE_SHAPE_SCHEMA } from "./templateShapeSchema.js";

// Both packages are CommonJS with a `default` export; under NodeNext that is `.default`.
const Ajv = ajvDraft04.default;
const addFormats = ajvFormats.default;
type Ajv = InstanceType<typeof Ajv>;
type SchemaDocument = Record<string, JsonValue>;

/** One thing wrong with a template or resource. */
export interface SchemaProblem {
  path: string;
  message: string;
}

/** The result of validating one resource. */
export interface ResourceValidation {
  /** `provider`: a vendored provider schema; `local`: one of ours (see localResourceSchemas). */
  source: "provider" | "local" | "none";
  schemaRef?: string;
  problems: SchemaProblem[];
}

/** Validates templates and resources offline against the vendored ARM schemas. */
export interface ArmValidator {
  validateShape(located: LocatedTemplate): SchemaProblem[];
  validateResource(located: LocatedResource): ResourceValidation;
}

interface Definition {
  ref: string;
  canonicalType: string;
}

const SECTIONS: Record<DeploymentScope, string[]> = {
  resourceGroup: ["resourceDefinitions"],
  subscription: ["subscription_resourceDefinitions", "resourceDefinitions"],
};

const SHAPE_ID = "urn:arc-wi:template-shape";

/**
 * Loads every provider schema under `schemaDir` into one draft-04 validator. Throws
 * ArmSchemasAbsentError when the folder is not there.
 */
export function createArmValidator(schemaDir: string = ARM_SCHEMA_DIR): ArmValidator {
  ensureSchemaDir(schemaDir);

  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);

  const index = new Map<string, Definition>();
  for (const file of schemaFiles(schemaDir)) {
    const schema = JSON.parse(readFileSync(file, "utf8")) as SchemaDocument;
    ajv.addSchema(relaxAnyBranches(schema));
    indexDefinitions(schema, index);
  }

  for (const [key, schema] of Object.entries(LOCAL_RESOURCE_SCHEMAS)) {
    ajv.addSchema(schema, `urn:arc-wi:local:${key}`);
  }
  ajv.addSchema(TEMPLATE_SHAPE_SCHEMA, SHAPE_ID);

  return {
    validateShape: ({ template, path }) => runSchema(ajv, SHAPE_ID, template, path),
    validateResource: (located) => validateResource(ajv, index, located),
  };
}

function validateResource(
  ajv: Ajv,
  index: Map<string, Definition>,
  { resource, scope, path }: LocatedResource,
): ResourceValidation {
  const key = `${resource.type.toLowerCase()}@${resource.apiVersion}`;
  const definition = SECTIONS[scope]
    .map((section) => index.get(`${section}|${key}`))
    .find((d) => d !== undefined);

  if (definition !== undefined) {
    // The schemas' `type` enums are case-sensitive; ARM is not.
    const instance = { ...resource, type: definition.canonicalType };
    const problems = runSchema(ajv, definition.ref, instance, path);
    return { source: "provider", schemaRef: definition.ref, problems };
  }

  if (LOCAL_RESOURCE_SCHEMAS[key] !== undefined) {
    const ref = `urn:arc-wi:local:${key}`;
    return { source: "local", schemaRef: ref, problems: runSchema(ajv, ref, resource, path) };
  }

  const message = `no schema for ${resource.type}@${resource.apiVersion} at ${scope} scope`;
  return { source: "none", problems: [{ path, message }] };
}

function runSchema(ajv: Ajv, ref: string, instance: unknown, path: string): SchemaProblem[] {
  const validate = ajv.getSchema(ref);
  if (validate === undefined) {
    return [{ path, message: `schema ${ref} did not load` }];
  }

  if (validate(instance)) {
    return [];
  }

  return summarise(validate.errors ?? []).map((e) => ({
    path: `${path}${e.instancePath.replaceAll("/", ".")}`,
    message: `${e.message ?? "invalid"} ${JSON.stringify(e.params)}`,
  }));
}

/**
 * `oneOf` over "value or expression" makes ajv report every branch. The deepest errors are the
 * ones that name the real mistake, so keep those.
 */
function summarise(errors: ErrorObject[]): ErrorObject[] {
  const depth = (e: ErrorObject) => e.instancePath.split("/").length;
  const deepest = Math.max(...errors.map(depth));
  const kept = errors.filter((e) => depth(e) === deepest && e.keyword !== "oneOf");

  return kept.length > 0 ? kept : errors.slice(0, 3);
}

/**
 * The generated schemas write "any value, or an expression" as `oneOf: [{}, expression]` (for
 * example a nested deployment's parameter `value`). Under `oneOf` an expression then matches
 * both branches and is rejected, which is not what the generator meant. A `oneOf` with an
 * unconstrained branch accepts anything, so it is dropped, in memory only.
 */
function relaxAnyBranches<T>(node: T): T {
  if (Array.isArray(node)) {
    return node.map(relaxAnyBranches) as T;
  }
  if (node === null || typeof node !== "object") {
    return node;
  }

  const entries = Object.entries(node as Record<string, unknown>);
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    if (key === "oneOf" && Array.isArray(value) && value.some(isUnconstrained)) {
      continue;
    }
    out[key] = relaxAnyBranches(value);
  }

  return out as T;
}

function isUnconstrained(schema: unknown): boolean {
  return typeof schema === "object" && schema !== null && Object.keys(schema).length === 0;
}

function schemaFiles(dir: string): string[] {
  const files: string[] = [];

  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      files.push(...schemaFiles(full));
    } else if (entry.name.endsWith(".json") && !entry.name.includes("DeploymentTemplate")) {
      files.push(full);
    }
  }

  return files.filter((f) => !f.endsWith("deploymentTemplate.json"));
}

function indexDefinitions(schema: SchemaDocument, index: Map<string, Definition>): void {
  const id = String(schema.id);

  for (const section of ["resourceDefinitions", "subscription_resourceDefinitions"]) {
    const definitions = (schema[section] ?? {}) as SchemaDocument;

    for (const [name, definition] of Object.entries(definitions)) {
      const types = (definition.properties?.type?.enum ?? []) as string[];
      const versions = (definition.properties?.apiVersion?.enum ?? []) as string[];

      for (const type of types) {
        for (const version of versions) {
          const key = `${section}|${type.toLowerCase()}@${version}`;
          index.set(key, { ref: `${id}/${section}/${name}`, canonicalType: type });
        }
      }
    }
  }
}
