/**
 * Writes policy.schema.json from the policy's zod schema. Run after changing the schema:
 *   npx tsx scripts/generatePolicySchema.ts
 * A test (test/lib/policy/policyJsonSchema.test.ts) fails while the committed file differs from
 * what this writes.
 */
import { writeFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";

import { format, resolveConfig } from "prettier";

import { buildPolicyJsonSchema } from "../src/lib/policy/policyJsonSchema.js";

/** Where the schema is committed. */
export const POLICY_SCHEMA_FILE = fileURLToPath(new URL("../policy.schema.json", import.meta.url));

/** The text of policy.schema.json, formatted as Prettier formats the repository. */
export async function renderPolicySchemaFile(): Promise<string> {
  const config = (await resolveConfig(POLICY_SCHEMA_FILE)) ?? {};
  return format(JSON.stringify(buildPolicyJsonSchema()), { ...config, parser: "json" });
}

async function main(): Promise<void> {
  await writeFile(POLICY_SCHEMA_FILE, await renderPolicySchemaFile(), "utf8");
  process.stdout.write(`wrote ${POLICY_SCHEMA_FILE}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
