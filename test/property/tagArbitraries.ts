/** Generators of cluster tag sets: hostile values, 256-character values, unicode, mixed-case keys. */
import fc from "fast-check";

const HOSTILE = ",;=/ \t\n\"'{}$*?%\\\u0000\u202e";
const LABEL = "abcdefghijklmnopqrstuvwxyz0123456789-";

/** A tag value an owner, a script or an attacker could set (ARM allows up to 256 characters). */
export const tagValueArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.constantFrom(...LABEL.split("")), maxLength: 20 }),
  fc.string({ unit: fc.constantFrom(...`${LABEL}${HOSTILE}`.split("")), maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.constantFrom(
    "",
    " ",
    "true",
    "TRUE",
    "disabled",
    "Disabled",
    "x".repeat(256),
    "é".repeat(256),
  ),
  fc.string({ maxLength: 256 }),
);

/** A key as written, in any casing. */
function anyCase(key: string): fc.Arbitrary<string> {
  return fc
    .array(fc.boolean(), { minLength: key.length, maxLength: key.length })
    .map((flips) => [...key].map((c, i) => (flips[i] ? c.toUpperCase() : c)).join(""));
}

/** Per tag key a policy reads, the values it usually gets (hostile ones are mixed in). */
export type TagSpec = Record<string, fc.Arbitrary<string>>;

/** Mostly `likely`, sometimes any hostile value. */
export function mostly(likely: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof({ arbitrary: likely, weight: 6 }, { arbitrary: tagValueArb, weight: 1 });
}

/**
 * A tag set over the keys a policy reads (each usually present, in random casing, sometimes
 * twice with different values) plus unrelated keys.
 */
export function tagSetArb(spec: TagSpec): fc.Arbitrary<Record<string, string>> {
  const known = Object.entries(spec).map(([key, value]) =>
    fc.tuple(
      fc.oneof({ arbitrary: fc.constant(true), weight: 5 }, fc.constant(false)),
      anyCase(key),
      value,
      fc.oneof({ arbitrary: fc.constant(null), weight: 7 }, fc.tuple(anyCase(key), tagValueArb)),
    ),
  );
  const unrelated = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), tagValueArb, {
    maxKeys: 3,
  });
  return fc.tuple(fc.tuple(...known), unrelated).map(([entries, extra]) => {
    const tags: Record<string, string> = { ...extra };
    for (const [present, key, value, twin] of entries) {
      if (!present) continue;
      tags[key] = value;
      if (twin && twin[1] !== value) tags[twin[0]] = twin[1];
    }
    return tags;
  });
}

/** A tag value built only from what the policy accepts in names and service accounts. */
export const plainValueArb: fc.Arbitrary<string> = fc.string({
  unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789".split("")),
  minLength: 1,
  maxLength: 12,
});

const goodEntryArb = fc
  .tuple(fc.constantFrom("site-tools", "site-a"), plainValueArb)
  .map(([ns, name]) => `${ns}/${name}`);

const badEntryArb = fc
  .tuple(
    fc.constantFrom("site-tools", "kube-system", "Site-B", "site-", " site-a"),
    fc.oneof(plainValueArb, tagValueArb),
  )
  .map(([ns, name]) => `${ns}/${name}`);

/** A `namespace/name,...` list as a plant team would write it, sometimes with a mistake. */
export const serviceAccountListArb: fc.Arbitrary<string> = fc
  .array(fc.oneof({ arbitrary: goodEntryArb, weight: 12 }, badEntryArb), {
    minLength: 1,
    maxLength: 11,
  })
  .map((entries) => entries.join(","));
