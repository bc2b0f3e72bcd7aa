import { describe, expect, it } from "vitest";

import {
  isInAllowedScopes,
  narrowToAllowedScopes,
  parseAllowedScopes,
} from "../../../src/lib/config/allowedScopes.js";

const SUB = "/subscriptions/11111111-2222-3333-4444-555555555555";

describe("allowed scopes", () => {
  it("parses subscriptions and resource groups and reports the rest", () => {
    const parsed = parseAllowedScopes(` ${SUB}/ ,${SUB}/resourceGroups/rg-a, rg-b ,`);

    expect(parsed).toEqual({ scopes: [SUB, `${SUB}/resourceGroups/rg-a`], invalid: ["rg-b"] });
  });

  it.each([
    [`${SUB}/resourcegroups/RG-A/providers/x/y/z`, true],
    [`${SUB}/resourceGroups/rg-ab/providers/x/y/z`, false],
    [`${SUB}/resourceGroups/rg-a`, true],
  ])("decides %s is inside rg-a: %s", (id, inside) => {
    expect(isInAllowedScopes(id, [`${SUB}/resourceGroups/rg-a`])).toBe(inside);
  });

  it("narrows a subscription to the allowed resource groups in it", () => {
    const allowed = [`${SUB}/resourceGroups/rg-a`, "/subscriptions/other"];

    expect(narrowToAllowedScopes(SUB, allowed)).toEqual([`${SUB}/resourceGroups/rg-a`]);
    expect(narrowToAllowedScopes(`${SUB}/resourceGroups/rg-a`, [SUB])).toEqual([
      `${SUB}/resourceGroups/rg-a`,
    ]);
  });
});
