import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse, printParseErrorCode, type ParseError } from "jsonc-parser";

import { INFRA_DIR } from "./referencePaths.js";

/**
 * A value read from a template's JSON. Tests walk these documents by path and assert on what they
 * find, so the type stays open on purpose.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonValue = any;

/** A template parameter, as ARM declares it. */
export interface ArmParameter {
  type: string;
  defaultValue?: unknown;
  allowedValues?: unknown[];
  metadata?: { description?: string };
}

/** One resource of a template (ARM's own keys plus the provider's). */
export interface ArmResource {
  type: string;
  apiVersion: string;
  name: string;
  properties?: JsonValue;
  [key: string]: JsonValue;
}

/** An ARM deployment template. */
export interface ArmTemplate {
  $schema: string;
  contentVersion: string;
  parameters?: Record<string, ArmParameter>;
  variables?: Record<string, JsonValue>;
  resources: ArmResource[];
  outputs?: Record<string, { type: string; value: unknown }>;
  [key: string]: unknown;
}

/** Where a template or resource deploys: ARM picks a different schema section for each. */
export type DeploymentScope = "resourceGroup" | "subscription";

/** A template, top-level or nested in a `Microsoft.Resources/deployments` resource. */
export interface LocatedTemplate {
  template: ArmTemplate;
  scope: DeploymentScope;
  /** JSON path from the file's root, for messages. */
  path: string;
}

/** A resource with the scope it deploys at and its path in the file. */
export interface LocatedResource {
  resource: ArmResource;
  scope: DeploymentScope;
  path: string;
}

const SUBSCRIPTION_SCHEMA = "subscriptionDeploymentTemplate.json";

/** Reads an infra/ template (ARM allows `//` comments, so it is parsed as JSONC). */
export function readTemplate(fileName: string): ArmTemplate {
  const file = resolve(INFRA_DIR, fileName);
  const errors: ParseError[] = [];
  const template = parse(readFileSync(file, "utf8"), errors) as ArmTemplate;

  if (errors.length > 0) {
    const first = errors[0]!;
    throw new Error(`${file}: ${printParseErrorCode(first.error)} at offset ${first.offset}`);
  }

  return template;
}

/** The scope a template deploys at, from its `$schema`. */
export function scopeOf(template: ArmTemplate): DeploymentScope {
  return template.$schema.includes(SUBSCRIPTION_SCHEMA) ? "subscription" : "resourceGroup";
}

/** The template and every template nested in it through `Microsoft.Resources/deployments`. */
export function collectTemplates(template: ArmTemplate, path = "$"): LocatedTemplate[] {
  const found: LocatedTemplate[] = [{ template, scope: scopeOf(template), path }];

  template.resources.forEach((resource, index) => {
    const inner = nestedTemplateOf(resource);

    if (inner !== undefined) {
      found.push(...collectTemplates(inner, `${path}.resources[${index}].properties.template`));
    }
  });

  return found;
}

/** Every resource of the template, nested deployments' resources included. */
export function collectResources(template: ArmTemplate): LocatedResource[] {
  return collectTemplates(template).flatMap(({ template: t, scope, path }) =>
    t.resources.map((resource, index) => ({
      resource,
      scope,
      path: `${path}.resources[${index}]`,
    })),
  );
}

/** The inline template of a nested deployment, if the resource is one. */
export function nestedTemplateOf(resource: ArmResource): ArmTemplate | undefined {
  if (resource.type.toLowerCase() !== "microsoft.resources/deployments") {
    return undefined;
  }

  return resource.properties?.template as ArmTemplate | undefined;
}
