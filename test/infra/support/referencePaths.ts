import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file lives in test/infra/support). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** Where infra/ keeps its templates. */
export const INFRA_DIR = resolve(REPO_ROOT, "infra");

/** The shared reference folder, beside the repository (never copied into it). */
export const REFERENCE_DIR = resolve(REPO_ROOT, "../shared/reference");

/** The vendored ARM template JSON schemas (see SOURCES.md there). */
export const ARM_SCHEMA_DIR = resolve(REFERENCE_DIR, "arm-template-schemas");

/** Thrown when the schema folder the validation relies on is not there. */
export class ArmSchemasAbsentError extends Error {
  override readonly name = "ArmSchemasAbsentError";
  readonly code = "ArmSchemasAbsent";

  constructor(readonly dir: string) {
    super(
      `The ARM template schemas folder is absent: ${dir} does not exist. ` +
        "infra tests validate the templates against ../shared/reference/arm-template-schemas " +
        "(relative to the repository root); check out the shared reference folder beside the repo.",
    );
  }
}

/** Returns `dir` when it exists, else throws {@link ArmSchemasAbsentError}. */
export function ensureSchemaDir(dir: string = ARM_SCHEMA_DIR): string {
  if (!existsSync(dir)) {
    throw new ArmSchemasAbsentError(dir);
  }

  return dir;
}
