import { beforeAll, describe, expect, it } from "vitest";

import { createArmValidator, type ArmValidator } from "./support/armSchemaValidator.js";
import {
  collectResources,
  collectTemplates,
  readTemplate,
  type ArmTemplate,
} from "./support/loadTemplate.js";
import { ArmSchemasAbsentError } from "./support/referencePaths.js";

const TEMPLATES = ["resources.json", "subscription.json", "eventgrid.json"];

/** Types validated by a schema of our own because their provider file is not vendored. */
const LOCALLY_VALIDATED_TYPES = ["Microsoft.Insights/scheduledQueryRules"];

let validator: ArmValidator;

beforeAll(() => {
  // Throws ArmSchemasAbsentError, naming the folder, when ../shared/reference is missing.
  validator = createArmValidator();
});

describe.each(TEMPLATES)("%s", (file) => {
  const template = readTemplate(file);

  it("has the shape of an ARM template, nested templates included", () => {
    const problems = collectTemplates(template).flatMap((t) => validator.validateShape(t));

    expect(problems).toEqual([]);
  });

  it.each(collectResources(template).map((r) => [`${r.resource.type} at ${r.path}`, r]))(
    "validates %s against its provider's schema",
    (_label, located) => {
      const result = validator.validateResource(located);

      expect(result.problems).toEqual([]);
      expect(result.source).not.toBe("none");
    },
  );
});

describe("schema coverage", () => {
  it("validates only scheduledQueryRules with a schema of our own", () => {
    const local = TEMPLATES.flatMap((f) => collectResources(readTemplate(f)))
      .filter((r) => validator.validateResource(r).source === "local")
      .map((r) => r.resource.type);

    expect([...new Set(local)]).toEqual(LOCALLY_VALIDATED_TYPES);
  });
});

/** A copy of a template with one planted mistake. */
function plant(file: string, mutate: (t: ArmTemplate) => void): ArmTemplate {
  const copy = structuredClone(readTemplate(file));
  mutate(copy);
  return copy;
}

function problemsOf(template: ArmTemplate): string[] {
  const shape = collectTemplates(template).flatMap((t) => validator.validateShape(t));
  const resources = collectResources(template).flatMap(
    (r) => validator.validateResource(r).problems,
  );
  return [...shape, ...resources].map((p) => `${p.path}: ${p.message}`);
}

function byType(template: ArmTemplate, type: string) {
  return collectResources(template).find((r) => r.resource.type === type)!.resource;
}

describe("the validator", () => {
  it.each<[string, string, (t: ArmTemplate) => void, RegExp]>([
    [
      "a wrong enum value",
      "resources.json",
      (t) => (byType(t, "Microsoft.Storage/storageAccounts").properties.minimumTlsVersion = "TLS9"),
      /minimumTlsVersion: must be equal to one of the allowed values/,
    ],
    [
      "an unknown runtime",
      "resources.json",
      (t) => {
        byType(t, "Microsoft.Web/sites").properties.functionAppConfig.runtime.name = "cobol";
      },
      /functionAppConfig\.runtime\.name: must be equal to one of the allowed values/,
    ],
    [
      "a string where a boolean belongs",
      "resources.json",
      (t) => (byType(t, "Microsoft.Web/sites").properties.httpsOnly = "yes"),
      /httpsOnly: must be boolean/,
    ],
    [
      "a child container name that is too short",
      "resources.json",
      (t) => {
        byType(t, "Microsoft.Storage/storageAccounts/blobServices").resources[0].name = "ab";
      },
      /resources\.0\.name: must NOT have fewer than 3 characters/,
    ],
    [
      "an api-version with no schema",
      "resources.json",
      (t) => (byType(t, "Microsoft.Web/serverfarms").apiVersion = "2001-01-01"),
      /no schema for Microsoft\.Web\/serverfarms@2001-01-01/,
    ],
    [
      "an unknown endpoint type in a nested template",
      "eventgrid.json",
      (t) => {
        const sub = byType(t, "Microsoft.EventGrid/systemTopics/eventSubscriptions");
        sub.properties.destination.endpointType = "AzureFunctionX";
      },
      /destination\.endpointType: must be equal to one of the allowed values/,
    ],
    [
      "an alert severity out of range (our own schema)",
      "resources.json",
      (t) => (byType(t, "Microsoft.Insights/scheduledQueryRules").properties.severity = 7),
      /severity: must be equal to one of the allowed values/,
    ],
    [
      "an unknown top-level key",
      "subscription.json",
      (t) => ((t as Record<string, unknown>).resourcez = []),
      /additional properties/,
    ],
  ])("reports %s", (_label, file, mutate, expected) => {
    const problems = problemsOf(plant(file, mutate));

    expect(problems.join("\n")).toMatch(expected);
  });

  it("says the schema folder is absent when it is", () => {
    const missing = "/nonexistent/shared/reference/arm-template-schemas";

    expect(() => createArmValidator(missing)).toThrow(ArmSchemasAbsentError);
    expect(() => createArmValidator(missing)).toThrow(
      /schemas folder is absent: .* does not exist/,
    );
  });
});
