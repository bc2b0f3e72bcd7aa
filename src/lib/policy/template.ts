/** A placeholder that takes a fact of the cluster. */
export type ClusterPlaceholder = "cluster" | "resourceGroup" | "location" | "subscription";

/** One piece of a parsed template. */
export type TemplatePart =
  | { kind: "text"; text: string }
  | { kind: "fact"; name: ClusterPlaceholder }
  | { kind: "tag"; key: string };

/** A template parsed into parts, or the reasons it cannot be. */
export type ParsedTemplate = { ok: true; parts: TemplatePart[] } | { ok: false; errors: string[] };

const FACTS: readonly ClusterPlaceholder[] = [
  "cluster",
  "resourceGroup",
  "location",
  "subscription",
];
const TOKEN = /\{([^{}]*)\}|([{}])/g;

/**
 * Parses a template such as `id-{tag:store}-inventory`. Placeholders: `{cluster}`,
 * `{resourceGroup}`, `{location}`, `{subscription}` and `{tag:<key>}` (the key is matched against
 * the cluster's tags case-insensitively). Everything else is literal text.
 *
 * @returns every error found (unknown placeholder, empty tag key, stray brace), not only the first.
 */
export function parseTemplate(template: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  const errors: string[] = [];
  let last = 0;

  for (const match of template.matchAll(TOKEN)) {
    pushText(parts, template.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[2] !== undefined) {
      errors.push(
        `stray "${match[2]}" at character ${match.index + 1}; placeholders look like {cluster} or {tag:<key>}`,
      );
      continue;
    }
    const part = toPlaceholder(match[1] ?? "");
    if (typeof part === "string") {
      errors.push(part);
    } else {
      parts.push(part);
    }
  }
  pushText(parts, template.slice(last));

  return errors.length > 0 ? { ok: false, errors } : { ok: true, parts };
}

function pushText(parts: TemplatePart[], text: string): void {
  if (text !== "") {
    parts.push({ kind: "text", text });
  }
}

function toPlaceholder(inner: string): TemplatePart | string {
  if (inner.startsWith("tag:")) {
    const key = inner.slice("tag:".length);
    return key === "" ? "{tag:} needs a tag key, e.g. {tag:store}" : { kind: "tag", key };
  }
  const fact = FACTS.find((f) => f === inner);
  if (fact !== undefined) {
    return { kind: "fact", name: fact };
  }
  return `unknown placeholder {${inner}}; use one of {cluster}, {resourceGroup}, {location}, {subscription}, {tag:<key>}`;
}

/** The placeholders a template uses, as written (`cluster`, `tag:store`, ...). */
export function placeholdersOf(parts: readonly TemplatePart[]): string[] {
  return parts.flatMap((p) => {
    if (p.kind === "fact") {
      return [p.name];
    }
    return p.kind === "tag" ? [`tag:${p.key}`] : [];
  });
}
