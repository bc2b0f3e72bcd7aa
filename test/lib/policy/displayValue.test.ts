import { describe, expect, it } from "vitest";

import { displayValue } from "../../../src/lib/policy/displayValue.js";

describe("displayValue", () => {
  it.each([
    ["plain", '"plain"'],
    ["a,b;c=d/e", '"a,b;c=d/e"'],
    ['quote " and \\', '"quote \\" and \\\\"'],
    ["new\nline", '"new\\u{a}line"'],
    ["bidi\u202eoverride", '"bidi\\u{202e}override"'],
    ["zero\u200bwidth", '"zero\\u{200b}width"'],
    ["ünïcödé 🙂", '"ünïcödé 🙂"'],
  ])("shows %j as %s", (value, shown) => {
    expect(displayValue(value)).toBe(shown);
  });

  it("cuts a 256-character value and states its length", () => {
    const shown = displayValue("v".repeat(256));

    expect(shown).toBe(`"${"v".repeat(64)}…" (256 characters)`);
  });

  it("counts characters, not UTF-16 units, when cutting", () => {
    const shown = displayValue("🙂".repeat(70), 64);

    expect(shown).toBe(`"${"🙂".repeat(64)}…" (70 characters)`);
  });
});
