import { z } from "zod";

import {
  explainAzureTagName,
  explainDnsLabel,
  explainIdentityName,
  explainResourceGroupName,
  IDENTITY_NAME_CHARS,
  isLocationName,
  isSubscriptionId,
  AZURE_TAG_NAME_MAX,
  AZURE_TAG_VALUE_MAX,
} from "./azureNames.js";
import { displayValue } from "./displayValue.js";
import { parseTemplate, type TemplatePart } from "./template.js";

/** Profile and identity ids: DNS-1123 labels, so `<profile>/<identity>` keys stay readable. */
export const policyIdSchema = z
  .string({ error: "must be a string" })
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
    error: 'must be lower-case letters, digits and "-", starting and ending with a letter or digit',
  })
  .max(63, { error: "must be at most 63 characters long" });

/** A tag key as a condition or setting names it (matched case-insensitively). */
export const tagKeySchema = z
  .string({ error: "must be a string (a tag key)" })
  .min(1, { error: "must not be empty" })
  .max(AZURE_TAG_NAME_MAX, {
    error: `must be at most ${AZURE_TAG_NAME_MAX} characters (Azure's limit for tag keys)`,
  });

/** A string the cluster's value is compared to; YAML numbers and booleans are refused. */
export const patternSchema = z.string({
  error: 'must be a string; quote values such as "0042" or "true" so YAML keeps them as written',
});

/** A list of globs (`*` any run of characters, `?` one character). */
export const globListSchema = z
  .array(patternSchema.min(1, { error: "must not be empty" }), {
    error: "must be a list of strings",
  })
  .min(1, { error: "must list at least one value (leave the condition out to match everything)" });

/** An Azure location in normalized form. */
export const locationSchema = patternSchema.refine(isLocationName, {
  error: 'must be an Azure location name in normalized form, e.g. "westeurope" (not "West Europe")',
});

/** A subscription id. */
export const subscriptionIdSchema = patternSchema.refine(isSubscriptionId, {
  error: "must be a subscription id (a GUID such as 00000000-0000-0000-0000-000000000000)",
});

/** `namespace/name` of a Kubernetes service account, both DNS-1123 labels. */
export const serviceAccountRefSchema = patternSchema.superRefine((value, ctx) => {
  const problem = explainServiceAccountRef(value);
  if (problem !== undefined) {
    ctx.addIssue({ code: "custom", message: problem });
  }
});

/** Why `value` is not `namespace/name` with two DNS-1123 labels, or undefined when it is. */
export function explainServiceAccountRef(value: string): string | undefined {
  const parts = value.split("/");
  if (parts.length !== 2) {
    return `service account ${displayValue(value)} must be written "namespace/name" with exactly one "/"`;
  }
  const [namespace = "", name = ""] = parts;
  const nsProblem = explainDnsLabel(namespace);
  if (nsProblem !== undefined) {
    return `namespace ${displayValue(namespace)} in ${displayValue(value)} ${nsProblem}`;
  }
  const nameProblem = explainDnsLabel(name);
  return nameProblem === undefined
    ? undefined
    : `service account name ${displayValue(name)} in ${displayValue(value)} ${nameProblem}`;
}

/** Extra Azure tags the policy puts on identities it creates. */
export const azureTagsSchema = z.record(
  z.string().superRefine((key, ctx) => {
    const problem = explainAzureTagName(key);
    if (problem !== undefined) {
      ctx.addIssue({ code: "custom", message: `tag name ${JSON.stringify(key)} ${problem}` });
    }
  }),
  patternSchema.max(AZURE_TAG_VALUE_MAX, {
    error: `must be at most ${AZURE_TAG_VALUE_MAX} characters (Azure's limit for tag values)`,
  }),
);

interface TemplateFieldOptions {
  /** What the field names, for messages ("identity name"). */
  what: string;
  /** Whether `{tag:<key>}` may be used. */
  allowTags: boolean;
  /** Characters literal text may hold, and how to say it. */
  literal: { chars: RegExp; say: string };
  /** Checks a template without placeholders as a whole. */
  explainStatic: (value: string) => string | undefined;
}

function templateField(options: TemplateFieldOptions) {
  return patternSchema.superRefine((value, ctx) => {
    const parsed = parseTemplate(value);
    if (!parsed.ok) {
      parsed.errors.forEach((message) => ctx.addIssue({ code: "custom", message }));
      return;
    }
    explainTemplateParts(parsed.parts, value, options).forEach((message) =>
      ctx.addIssue({ code: "custom", message }),
    );
  });
}

function explainTemplateParts(parts: TemplatePart[], value: string, options: TemplateFieldOptions) {
  const problems: string[] = [];
  for (const part of parts) {
    if (part.kind === "tag" && !options.allowTags) {
      problems.push(
        `a tag cannot choose the ${options.what}; use only {cluster}, {resourceGroup}, {location} or {subscription} here`,
      );
    }
    if (part.kind === "text" && !options.literal.chars.test(part.text)) {
      problems.push(
        `the text ${JSON.stringify(part.text)} cannot be part of an ${options.what}: ${options.literal.say}`,
      );
    }
  }
  if (parts.every((p) => p.kind === "text")) {
    const problem = options.explainStatic(value);
    if (problem !== undefined) {
      problems.push(`${options.what} ${JSON.stringify(value)} ${problem}`);
    }
  }
  return problems;
}

/** An identity name template. */
export const identityNameTemplateSchema = templateField({
  what: "identity name",
  allowTags: true,
  literal: { chars: IDENTITY_NAME_CHARS, say: 'only letters, digits, "-" and "_" are allowed' },
  explainStatic: (value) => explainIdentityName(value),
});

/** A resource group template: cluster facts only, never a tag. */
export const resourceGroupTemplateSchema = templateField({
  what: "resource group",
  allowTags: false,
  literal: {
    chars: /^[-\p{L}\p{N}_.()]+$/u,
    say: 'only letters, digits, "-", "_", ".", "(" and ")" are allowed',
  },
  explainStatic: explainResourceGroupName,
});

/** A location template (`{location}` by default). */
export const locationTemplateSchema = templateField({
  what: "identity location",
  allowTags: true,
  literal: { chars: /^[a-z0-9]+$/, say: "only lower-case letters and digits are allowed" },
  explainStatic: (value) =>
    isLocationName(value) ? undefined : 'must be a normalized Azure location such as "westeurope"',
});
