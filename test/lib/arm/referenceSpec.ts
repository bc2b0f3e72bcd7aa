import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import SwaggerParser from "@apidevtools/swagger-parser";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";

/** ../shared/reference beside the repository (the oracle; never copied into the project). */
export const REFERENCE_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../../../../shared/reference",
);

/** Fails with a message that says what is missing when the reference folder is absent. */
export function requireReference(relative: string): string {
  const path = join(REFERENCE_DIR, relative);
  if (!existsSync(path)) {
    throw new Error(
      `The reference file ${path} is absent: these tests need ../shared/reference beside the repository.`,
    );
  }
  return path;
}

/** Loads and dereferences a swagger file, dropping `x-ms-examples` (some point at files not kept). */
export async function loadSpec(relative: string): Promise<Record<string, unknown>> {
  const path = requireReference(relative);
  const raw = JSON.parse(readFileSync(path, "utf8")) as unknown;
  stripExamples(raw);
  const parser = new SwaggerParser();
  const api = await parser.dereference(path, raw as never, {});
  return api as unknown as Record<string, unknown>;
}

/** An ajv draft-04 validator as lenient as ARM specs need (x-ms-* keywords, custom formats). */
export function createSpecAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
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
    ajv.addFormat(format, true);
  }
  return ajv;
}

function stripExamples(node: unknown): void {
  if (node === null || typeof node !== "object") return;
  const record = node as Record<string, unknown>;
  delete record["x-ms-examples"];
  Object.values(record).forEach(stripExamples);
}
