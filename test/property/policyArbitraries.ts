/**
 * Generators of policy documents: valid ones from a small grammar, and broken ones made by one
 * mutation of a valid document at a known path.
 */
import fc from "fast-check";

const LABEL = fc.string({
  unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789".split("")),
  minLength: 1,
  maxLength: 8,
});
const ID = LABEL.map((s) => `p${s}`);

type Doc = Record<string, unknown>;

const identityArb = fc.record({
  id: ID,
  scope: fc.constantFrom("cluster", "shared"),
  suffix: LABEL,
  serviceAccounts: fc.uniqueArray(
    fc.tuple(LABEL, LABEL).map(([ns, sa]) => `n${ns}/s${sa}`),
    { minLength: 1, maxLength: 4 },
  ),
});

/** A valid policy document (as plain data) built from profiles, identities and rules. */
export const validPolicyArb: fc.Arbitrary<Doc> = fc
  .uniqueArray(
    fc.tuple(
      ID,
      fc.uniqueArray(identityArb, { minLength: 1, maxLength: 3, selector: (i) => i.id }),
    ),
    { minLength: 1, maxLength: 3, selector: ([name]) => name },
  )
  .chain((profiles) =>
    fc
      .array(
        fc.record({
          tag: LABEL.map((s) => `t${s}`),
          value: fc.constantFrom("?*", "yes", "prod"),
          profiles: fc.subarray(profiles.map(([name]) => name)),
          final: fc.boolean(),
        }),
        { minLength: 1, maxLength: 3 },
      )
      .map((rules) => buildDocument(profiles, rules)),
  );

function buildDocument(
  profiles: [string, Identity[]][],
  rules: { tag: string; value: string; profiles: string[]; final: boolean }[],
): Doc {
  return {
    profiles: Object.fromEntries(
      profiles.map(([name, identities]) => [
        name,
        { identities: identities.map((i) => identityDoc(name, i)) },
      ]),
    ),
    rules: rules.map((r) => ({
      match: { tags: { [r.tag]: r.value } },
      profiles: r.profiles,
      final: r.final,
    })),
  };
}

interface Identity {
  id: string;
  scope: string;
  suffix: string;
  serviceAccounts: string[];
}

function identityDoc(profile: string, i: Identity): Doc {
  const name = i.scope === "cluster" ? `id-{cluster}-${i.suffix}` : `id-${profile}-${i.id}`;
  return {
    id: i.id,
    scope: i.scope,
    name,
    resourceGroup: "rg-identities",
    serviceAccounts: i.serviceAccounts,
  };
}

/** One way to break a document, and the path of the problem it must produce. */
export interface Mutation {
  describe: string;
  apply(doc: Doc): string;
}

const wrongValueArb = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.constantFrom("Bad/NS", "{nope}", "a b", "", "x".repeat(300), "ns/", "/sa"),
);

type Place = { parent: Doc | unknown[]; key: string | number; path: string };

/** Every place in a document where a value sits, with its formatted path. */
function placesIn(value: unknown, path = ""): Place[] {
  if (typeof value !== "object" || value === null) return [];
  const entries = Array.isArray(value)
    ? value.map((v, i) => [i, v] as const)
    : Object.entries(value as Doc);
  return entries.flatMap(([key, child]) => {
    const childPath =
      typeof key === "number" ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`;
    return [
      { parent: value as Doc | unknown[], key, path: childPath },
      ...placesIn(child, childPath),
    ];
  });
}

/** A valid document with one value replaced, one key added or one key removed. */
export const brokenPolicyArb: fc.Arbitrary<{ doc: Doc; kind: string; path: string }> = fc
  .tuple(validPolicyArb, fc.nat(), wrongValueArb, fc.constantFrom("replace", "add", "remove"))
  .map(([doc, pick, wrong, kind]) => {
    const places = placesIn(doc);
    const place = places[pick % places.length]!;
    const parent = place.parent as Record<string | number, unknown>;
    const target = parent[place.key];
    if (kind === "add" && isObject(target)) {
      target.unexpectedKey = wrong;
      return { doc, kind, path: place.path };
    }
    if (kind === "remove" && !Array.isArray(place.parent)) {
      delete parent[place.key];
      return { doc, kind, path: place.path };
    }
    parent[place.key] = wrong;
    // An emptied container can move the problem elsewhere (a rule naming a profile now gone).
    const emptied = typeof wrong === "object" && wrong !== null;
    return { doc, kind: emptied ? "empty" : "replace", path: place.path };
  });

function isObject(value: unknown): value is Doc {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
