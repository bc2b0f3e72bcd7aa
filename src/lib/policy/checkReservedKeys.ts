import type { RawProblem } from "./rawDocument.js";

/** Keys that mean something to JavaScript objects, refused wherever they appear. */
const RESERVED = new Set(["__proto__", "constructor", "prototype"]);

/** The message for a reserved key (also used for the schema's unknown-key issue on it). */
export const RESERVED_KEY_MESSAGE =
  "this key name is reserved (it has a special meaning in JavaScript objects); rename or remove it";

/**
 * Finds keys named `__proto__`, `constructor` or `prototype` anywhere in the document. A schema
 * record would otherwise drop such a key silently, and a rule condition written under it would
 * vanish and match every cluster.
 *
 * @param raw - the parsed YAML/JSON (own keys only, as the YAML reader creates them).
 */
export function checkReservedKeys(raw: unknown, path: PropertyKey[] = []): RawProblem[] {
  if (Array.isArray(raw)) {
    return raw.flatMap((item, index) => checkReservedKeys(item, [...path, index]));
  }
  if (typeof raw !== "object" || raw === null) {
    return [];
  }

  return Object.keys(raw).flatMap((key) => {
    const here = [...path, key];
    const own = RESERVED.has(key) ? [{ path: here, message: RESERVED_KEY_MESSAGE }] : [];
    return [...own, ...checkReservedKeys((raw as Record<string, unknown>)[key], here)];
  });
}
