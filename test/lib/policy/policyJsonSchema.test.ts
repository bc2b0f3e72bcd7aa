import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

import {
  POLICY_SCHEMA_FILE,
  renderPolicySchemaFile,
} from "../../../scripts/generatePolicySchema.js";

const EXAMPLES = fileURLToPath(new URL("../../../examples/", import.meta.url));

describe("policy.schema.json", () => {
  it("equals what scripts/generatePolicySchema.ts generates (run it after changing the schema)", async () => {
    const committed = readFileSync(POLICY_SCHEMA_FILE, "utf8");

    expect(committed).toBe(await renderPolicySchemaFile());
  });

  it.each(readdirSync(EXAMPLES).filter((f) => f.endsWith(".policy.yaml")))(
    "accepts the example %s",
    (file) => {
      const validate = new Ajv2020({ strict: false }).compile(
        JSON.parse(readFileSync(POLICY_SCHEMA_FILE, "utf8")),
      );

      const valid = validate(parse(readFileSync(`${EXAMPLES}${file}`, "utf8")));

      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    },
  );

  it("refuses an unknown key, as editors should show", () => {
    const validate = new Ajv2020({ strict: false }).compile(
      JSON.parse(readFileSync(POLICY_SCHEMA_FILE, "utf8")),
    );

    expect(validate({ profiles: {}, rules: [{ match: {}, profiles: [] }], audience: "x" })).toBe(
      false,
    );
  });
});
