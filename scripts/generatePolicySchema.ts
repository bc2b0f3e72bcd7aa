/**
 * Writes policy.schema.json from the policy's zod schema. Run after changing the schema:
 *   npx tsx scripts/generatePolicySchema.ts
 * A test fails while the committed file differs from what this writes.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { buildPolicyJsonSchema } from "../src/lib/policy/policyJsonSchema.js";

const target = fileURLToPath(new URL("../policy.schema.json", import.meta.url));
writeFileSync(target, buildPolicyJsonSchema(), "utf8");
process.stdout.write(`wrote ${target}\n`);
