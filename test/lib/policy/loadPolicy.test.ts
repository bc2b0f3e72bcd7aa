import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { loadPolicy, PolicyValidationError } from "../../../src/lib/policy/index.js";

const POLICY = `
profiles:
  app:
    identities:
      - { id: main, scope: shared, name: id-app, resourceGroup: rg-ids, serviceAccounts: [app/web] }
rules:
  - { match: {}, profiles: [app] }
`;

const dir = mkdtempSync(join(tmpdir(), "arc-wi-policy-"));
const file = join(dir, "policy.yaml");
writeFileSync(file, POLICY);

describe("loadPolicy", () => {
  it("loads a file, naming it as the source", async () => {
    const policy = await loadPolicy({ path: file });

    expect(policy.source).toBe(file);
    expect(Object.keys(policy.document.profiles)).toEqual(["app"]);
  });

  it("loads inline text, with source inline and the same version", async () => {
    const inline = await loadPolicy({ inline: POLICY });

    expect(inline.source).toBe("inline");
    expect(inline.version).toBe((await loadPolicy({ path: file })).version);
  });

  it("treats a blank setting as not given", async () => {
    const policy = await loadPolicy({ path: file, inline: "  " });

    expect(policy.source).toBe(file);
  });

  it.each([
    ["neither", {}, /exactly one of ARC_WI_POLICY_PATH .* or ARC_WI_POLICY .*; neither was given/],
    ["both", { path: file, inline: POLICY }, /exactly one .*; both were given/],
    [
      "a missing file",
      { path: join(dir, "missing.yaml") },
      /cannot read the policy file \(ENOENT\)/,
    ],
  ])(
    "refuses %s with a PolicyValidationError saying what to set",
    async (_case, options, message) => {
      const error: unknown = await loadPolicy(options).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(PolicyValidationError);
      expect((error as PolicyValidationError).problems[0]!.message).toMatch(message);
    },
  );
});
