import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

import {
  collectTemplates,
  nestedTemplateOf,
  readTemplate,
  type ArmTemplate,
} from "./support/loadTemplate.js";
import { REPO_ROOT } from "./support/referencePaths.js";

const TEMPLATES = ["resources.json", "subscription.json", "eventgrid.json"];
const deployDoc = readFileSync(resolve(REPO_ROOT, "docs/deploy.md"), "utf8");

/** The template without its parameter declarations and nested templates, as text. */
function bodyOf(template: ArmTemplate): string {
  const body = { ...template, parameters: undefined };
  const resources = body.resources.map((r) =>
    nestedTemplateOf(r) === undefined
      ? r
      : { ...r, properties: { ...r.properties, template: undefined } },
  );

  return JSON.stringify({ ...body, resources });
}

const SECRET_LOOKING =
  /listKeys|listSecrets|list\w*\(|connectionstring|instrumentationkey|password/i;

describe.each(TEMPLATES)("%s parameters and outputs", (file) => {
  const template = readTemplate(file);
  const located = collectTemplates(template);
  const topLevel = Object.entries(template.parameters ?? {});

  it("use every parameter they declare, nested templates included", () => {
    const unused = located.flatMap(({ template: t, path }) =>
      Object.keys(t.parameters ?? {})
        .filter((name) => !bodyOf(t).includes(`parameters('${name}')`))
        .map((name) => `${path}: ${name}`),
    );

    expect(unused).toEqual([]);
  });

  it("describe every parameter", () => {
    const undocumented = located.flatMap(({ template: t }) =>
      Object.entries(t.parameters ?? {})
        .filter(([, p]) => (p.metadata?.description ?? "").length < 10)
        .map(([name]) => name),
    );

    expect(undocumented).toEqual([]);
  });

  it("document every top-level parameter in docs/deploy.md", () => {
    const missing = topLevel
      .map(([name]) => name)
      .filter((name) => !deployDoc.includes(`\`${name}\``));

    expect(missing).toEqual([]);
  });

  it("take no secret as a parameter", () => {
    const secure = topLevel.filter(([, p]) => p.type.toLowerCase().startsWith("secure"));

    expect(secure).toEqual([]);
  });

  it("output no secret", () => {
    const outputs = located.flatMap(({ template: t }) => Object.entries(t.outputs ?? {}));
    const leaking = outputs.filter(
      ([name, o]) => SECRET_LOOKING.test(name) || SECRET_LOOKING.test(JSON.stringify(o.value)),
    );

    expect(leaking).toEqual([]);
  });
});
