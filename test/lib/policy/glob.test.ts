import { describe, expect, it } from "vitest";

import { matchesGlob } from "../../../src/lib/policy/glob.js";

describe("matchesGlob", () => {
  it.each([
    ["rg-stores-east", "rg-stores-*", false, true],
    ["RG-STORES-EAST", "rg-stores-*", true, true],
    ["RG-STORES-EAST", "rg-stores-*", false, false],
    ["rg-stores", "rg-stores-*", true, false],
    ["site-tools", "site-*", false, true],
    ["kube-system", "site-*", false, false],
    ["a/b/c", "a*c", false, true],
    ["", "*", false, true],
    ["", "?*", false, false],
    ["x", "?", false, true],
    ["a.b", "a?b", false, true],
    ["axb", "a.b", false, false],
    ["(x)[y]{z}^$|+\\", "(x)[y]{z}^$|+\\", false, true],
    ["İstanbul", "i*", true, false],
  ])("matches %j against %j (ignoreCase %s): %s", (value, pattern, ignoreCase, expected) => {
    expect(matchesGlob(value, pattern, { ignoreCase })).toBe(expected);
  });
});
