import type { z } from "zod";

type Schema = z.core.$ZodType;

interface LooseDef {
  type: string;
  innerType?: Schema;
  shape?: Record<string, Schema>;
  valueType?: Schema;
  element?: Schema;
}

const WRAPPERS = new Set(["optional", "default", "prefault", "nullable", "readonly", "catch"]);

/**
 * The keys an object schema accepts at `path` (walking objects, records and arrays), for
 * messages about unknown keys.
 *
 * @returns the keys in declaration order, or an empty list when `path` leads to no object.
 */
export function allowedKeysAt(schema: Schema, path: readonly PropertyKey[]): string[] {
  let current: Schema | undefined = unwrap(schema);

  for (const segment of path) {
    const def: LooseDef | undefined = current === undefined ? undefined : defOf(current);
    if (def?.type === "object") {
      current = def.shape?.[String(segment)];
    } else if (def?.type === "record") {
      current = def.valueType;
    } else if (def?.type === "array") {
      current = def.element;
    } else {
      return [];
    }
    current = current === undefined ? undefined : unwrap(current);
  }

  const def = current === undefined ? undefined : defOf(current);
  return def?.type === "object" ? Object.keys(def.shape ?? {}) : [];
}

function unwrap(schema: Schema): Schema {
  let current = schema;
  let def = defOf(current);
  while (WRAPPERS.has(def.type) && def.innerType !== undefined) {
    current = def.innerType;
    def = defOf(current);
  }
  return current;
}

function defOf(schema: Schema): LooseDef {
  return schema._zod.def;
}
