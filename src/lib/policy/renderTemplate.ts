import type { ClusterTagView } from "./clusterTags.js";
import { displayValue } from "./displayValue.js";
import type { ClusterFacts } from "./policyTypes.js";
import type { TemplatePart } from "./template.js";

/** What a template is rendered from. */
export interface RenderContext {
  cluster: ClusterFacts;
  tags: ClusterTagView;
}

/** How one field treats tag values. */
export interface RenderRules {
  /** What the field is, for messages ("identity name"). */
  what: string;
  /** Why a tag value cannot go into this field, or undefined when it can. */
  explainTagValue: (value: string) => string | undefined;
}

/** A tag a rendered value used, for messages. */
export interface UsedTag {
  key: string;
  value: string;
}

/** A rendered template, or the problem that stopped it. */
export type RenderResult =
  | { ok: true; value: string; usedTags: UsedTag[] }
  | { ok: false; code: "MissingTemplateTag" | "InvalidTagValue"; message: string };

/**
 * Renders parsed template parts from cluster facts and tags. A tag is looked up by key
 * case-insensitively and its value is used exactly as written, never trimmed or lower-cased: a
 * value the field cannot hold is a problem, not something silently fixed.
 */
export function renderTemplate(
  parts: readonly TemplatePart[],
  context: RenderContext,
  rules: RenderRules,
): RenderResult {
  let value = "";
  const usedTags: UsedTag[] = [];

  for (const part of parts) {
    if (part.kind === "text") {
      value += part.text;
    } else if (part.kind === "fact") {
      value += readFact(context.cluster, part.name);
    } else {
      const tag = renderTag(part.key, context.tags, rules);
      if (!tag.ok) {
        return tag;
      }
      value += tag.value;
      usedTags.push({ key: part.key, value: tag.value });
    }
  }
  return { ok: true, value, usedTags };
}

function readFact(
  cluster: ClusterFacts,
  name: "cluster" | "resourceGroup" | "location" | "subscription",
) {
  switch (name) {
    case "cluster":
      return cluster.name;
    case "resourceGroup":
      return cluster.resourceGroup;
    case "location":
      return cluster.location;
    case "subscription":
      return cluster.subscriptionId;
  }
}

type TagRender = { ok: true; value: string } | Extract<RenderResult, { ok: false }>;

function renderTag(key: string, tags: ClusterTagView, rules: RenderRules): TagRender {
  const found = tags.lookup(key);
  if (found.kind === "absent") {
    const message = `the ${rules.what} needs tag ${displayValue(key)}, which the cluster does not have; add the tag to the cluster, or narrow the rule so this profile is not selected without it`;
    return { ok: false, code: "MissingTemplateTag", message };
  }
  if (found.kind === "ambiguous") {
    const keys = found.entries
      .map((e) => e.key)
      .map((k) => displayValue(k))
      .join(" and ");
    const message = `the cluster has tags ${keys} with different values, and tag keys are case-insensitive; keep one of them`;
    return { ok: false, code: "InvalidTagValue", message };
  }

  const problem = found.value === "" ? "is empty" : rules.explainTagValue(found.value);
  if (problem !== undefined) {
    const message = `tag ${displayValue(found.key)} has value ${displayValue(found.value)}, which cannot go into the ${rules.what}: it ${problem}; fix the tag on the cluster`;
    return { ok: false, code: "InvalidTagValue", message };
  }
  return { ok: true, value: found.value };
}
