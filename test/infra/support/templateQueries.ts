import type { ArmResource, ArmTemplate } from "./loadTemplate.js";
import { collectTemplates } from "./loadTemplate.js";

/** Every resource in the template: nested deployments' and child `resources` included. */
export function allResources(template: ArmTemplate): ArmResource[] {
  return collectTemplates(template).flatMap(({ template: t }) => t.resources.flatMap(withChildren));
}

function withChildren(resource: ArmResource): ArmResource[] {
  const children = (resource.resources ?? []) as ArmResource[];
  return [resource, ...children.flatMap(withChildren)];
}

/** Resources of one type (compared case-insensitively, as ARM does). */
export function resourcesOfType(template: ArmTemplate, type: string): ArmResource[] {
  return allResources(template).filter((r) => r.type.toLowerCase() === type.toLowerCase());
}

/** The single resource of a type; throws when there is not exactly one. */
export function onlyResource(template: ArmTemplate, type: string): ArmResource {
  const found = resourcesOfType(template, type);
  if (found.length !== 1) {
    throw new Error(`expected one ${type}, found ${found.length}`);
  }

  return found[0]!;
}

/** The child resources of `parent` with the given short type (`config`, `containers`...). */
export function childrenOfType(parent: ArmResource, type: string): ArmResource[] {
  return ((parent.resources ?? []) as ArmResource[]).filter((c) => c.type === type);
}

/**
 * The literal keys of the first `createObject(...)` call in an ARM expression: its arguments at
 * even positions, when they are quoted strings.
 */
export function createObjectKeys(expression: string): string[] {
  const start = expression.indexOf("createObject(");
  if (start < 0) {
    return [];
  }

  const args = splitArguments(expression.slice(start + "createObject(".length));
  return args.filter((_, i) => i % 2 === 0).flatMap((a) => (isQuoted(a) ? [unquote(a)] : []));
}

/** Top-level arguments of a call whose opening parenthesis has just been consumed. */
function splitArguments(rest: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = "";

  for (const ch of rest) {
    if (ch === "'") {
      quoted = !quoted;
    } else if (!quoted && (ch === "(" || ch === "[")) {
      depth += 1;
    } else if (!quoted && (ch === ")" || ch === "]")) {
      if (depth === 0) {
        break;
      }
      depth -= 1;
    } else if (!quoted && depth === 0 && ch === ",") {
      args.push(current.trim());
      current = "";
      continue;
    }
    current += ch;
  }

  return [...args, current.trim()];
}

function isQuoted(text: string): boolean {
  return text.length >= 2 && text.startsWith("'") && text.endsWith("'");
}

function unquote(text: string): string {
  return text.slice(1, -1).replaceAll("''", "'");
}

/** Every GUID literal in the template's text. */
export function guidLiterals(template: ArmTemplate): Set<string> {
  const text = JSON.stringify(template).toLowerCase();
  return new Set(text.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? []);
}

/** Every array under a key named `key`, anywhere in `node`. */
export function arraysUnderKey(node: unknown, key: string): unknown[][] {
  if (Array.isArray(node)) {
    return node.flatMap((item) => arraysUnderKey(item, key));
  }
  if (node === null || typeof node !== "object") {
    return [];
  }

  return Object.entries(node).flatMap(([k, v]) => [
    ...(k === key && Array.isArray(v) ? [v as unknown[]] : []),
    ...arraysUnderKey(v, key),
  ]);
}
