import { describe, expect, it } from "vitest";

import { parseTemplate } from "../../../src/lib/policy/template.js";

describe("parseTemplate", () => {
  it.each([
    [
      "id-{cluster}-mes",
      [
        { kind: "text", text: "id-" },
        { kind: "fact", name: "cluster" },
        { kind: "text", text: "-mes" },
      ],
    ],
    ["{tag:Store}", [{ kind: "tag", key: "Store" }]],
    ["{tag:a.b c}", [{ kind: "tag", key: "a.b c" }]],
    [
      "{resourceGroup}{location}{subscription}",
      [
        { kind: "fact", name: "resourceGroup" },
        { kind: "fact", name: "location" },
        { kind: "fact", name: "subscription" },
      ],
    ],
    ["plain", [{ kind: "text", text: "plain" }]],
  ])("parses %s", (template, parts) => {
    expect(parseTemplate(template)).toEqual({ ok: true, parts });
  });

  it.each([
    ["{Cluster}", /unknown placeholder \{Cluster\}/],
    ["{}", /unknown placeholder \{\}/],
    ["{tag:}", /needs a tag key/],
    ["a}b", /stray "\}" at character 2/],
    ["{{cluster}}", /stray "\{"/],
  ])("refuses %s", (template, message) => {
    const parsed = parseTemplate(template);

    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors.join("\n")).toMatch(message);
  });

  it("reports every error, not only the first", () => {
    const parsed = parseTemplate("{a}-{b}");

    expect(!parsed.ok && parsed.errors).toHaveLength(2);
  });
});
