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

describe("loadPolicy on files that are not a policy's text", () => {
  const problem = async (path: string) => {
    const error = await loadPolicy({ path }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyValidationError);
    return (error as PolicyValidationError).problems[0]?.message;
  };
  const write = (name: string, bytes: Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  it("says a UTF-16 file holds NUL bytes and to save it as UTF-8", async () => {
    const path = write("utf16.yaml", Buffer.from(`\ufeff${POLICY}`, "utf16le"));
    expect(await problem(path)).toMatch(/NUL bytes.*save it as UTF-8/);
  });

  it("says a file that is not UTF-8 is not", async () => {
    const path = write("latin1.yaml", Buffer.from(`${POLICY}# caf\u00e9\n`, "latin1"));
    expect(await problem(path)).toBe("the policy file is not UTF-8 text; save it as UTF-8");
  });

  it("stops reading a device that never ends, at the size limit", async () => {
    expect(await problem("/dev/zero")).toMatch(/larger than 4000000 bytes/);
  });

  it("names the reason a path cannot be read", async () => {
    expect(await problem(dir)).toMatch(/cannot read the policy file \(EISDIR\)/);
  });
});
