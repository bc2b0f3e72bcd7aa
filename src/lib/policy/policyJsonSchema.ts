import { z } from "zod";

import { policyDocumentSchema } from "./policySchema.js";

/** Where editors find the schema (the `$id` of the generated document). */
export const POLICY_SCHEMA_ID =
  "https://github.com/arc-wi-onboarding/arc-wi-onboarding/policy.schema.json";

/**
 * The JSON Schema of a policy document as an editor sees it (input side: fields with defaults
 * are optional), generated from the zod schema so the two cannot drift. Checks the JSON Schema
 * cannot express (template placeholders, cross-references, per-scope fields) are only made by
 * `parsePolicy`.
 *
 * @returns the JSON Schema document (draft 2020-12).
 */
export function buildPolicyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(policyDocumentSchema, { io: "input", unrepresentable: "any" });
  return {
    ...schema,
    $id: POLICY_SCHEMA_ID,
    title: "arc-wi-onboarding policy",
    description:
      "Profiles of identities and rules selecting them from cluster facts. See docs/policy.md.",
  };
}
