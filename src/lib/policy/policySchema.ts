import { z } from "zod";

import {
  azureTagsSchema,
  globListSchema,
  identityNameTemplateSchema,
  locationSchema,
  locationTemplateSchema,
  patternSchema,
  policyIdSchema,
  resourceGroupTemplateSchema,
  serviceAccountRefSchema,
  subscriptionIdSchema,
  tagKeySchema,
} from "./policyFields.js";
import { explainIdentityResourceId } from "./identityResourceId.js";

/** Azure's cap on federated identity credentials per identity. */
export const MAX_CREDENTIALS_PER_IDENTITY = 20;

/** Regions whose identities cannot hold federated identity credentials (FACTS §4.2). */
export const DEFAULT_UNSUPPORTED_CREDENTIAL_REGIONS: readonly string[] = [
  "malaysiasouth",
  "newzealandnorth",
];

/** The opt-out tag when the policy names none. */
export const DEFAULT_OPT_OUT_TAG: Readonly<{ key: string; value: string }> = {
  key: "arc-wi",
  value: "disabled",
};

const credentialCount = z
  .int({ error: `must be a whole number from 1 to ${MAX_CREDENTIALS_PER_IDENTITY}` })
  .min(1, { error: "must be at least 1" })
  .max(MAX_CREDENTIALS_PER_IDENTITY, {
    error: `must be at most ${MAX_CREDENTIALS_PER_IDENTITY} (Azure's cap of federated credentials per identity)`,
  });

const identityResourceIdSchema = patternSchema.superRefine((id, ctx) => {
  const problem = explainIdentityResourceId(id);
  if (problem !== undefined) {
    ctx.addIssue({ code: "custom", message: problem });
  }
});

const roleAssignmentSchema = z.strictObject({
  role: patternSchema.describe(
    "Built-in role name (e.g. Key Vault Secrets User), role definition GUID or role definition id.",
  ),
  scope: patternSchema.describe(
    "Resource id to assign at (subscription, resource group or resource); written out, never from a tag.",
  ),
});

const identitySchema = z.strictObject({
  id: policyIdSchema.describe("Identity id, unique in its profile; the key is <profile>/<id>."),
  description: z.string().optional(),
  scope: z
    .enum(["cluster", "shared", "existing"], {
      error: 'must be "cluster", "shared" or "existing"',
    })
    .describe(
      "cluster: one identity per cluster; shared: one for many clusters, sharded; existing: referenced by resourceId.",
    ),
  name: identityNameTemplateSchema
    .optional()
    .describe(
      "Name template: {cluster}, {resourceGroup}, {location}, {subscription}, {tag:<key>}.",
    ),
  resourceGroup: resourceGroupTemplateSchema
    .optional()
    .describe("Resource group of the identity; cluster facts only, never a tag."),
  subscription: subscriptionIdSchema.optional().describe("Subscription id; default the cluster's."),
  location: locationTemplateSchema
    .optional()
    .describe("Location template; default the cluster's location ({location})."),
  resourceId: identityResourceIdSchema
    .optional()
    .describe("Scope existing: the userAssignedIdentity's resource id."),
  serviceAccounts: z
    .array(serviceAccountRefSchema)
    .default([])
    .describe("Service accounts to federate, as namespace/name."),
  onRemove: z
    .enum(["delete", "keep"], { error: 'must be "delete" or "keep"' })
    .optional()
    .describe(
      "Scope cluster: delete or keep (default) the identity when the cluster no longer wants it.",
    ),
  maxCredentialsPerShard: credentialCount
    .optional()
    .describe("Scope shared: credentials per shard before the next one, 1-20 (default 20)."),
  tags: azureTagsSchema.optional().describe("Extra Azure tags on identities arc-wi creates."),
  roleAssignments: z
    .array(roleAssignmentSchema)
    .optional()
    .describe(
      "Roles this identity gets (scopes cluster and shared), each inside defaults.roleAssignments.",
    ),
});

const serviceAccountsFromTagSchema = z.strictObject({
  tag: tagKeySchema.describe("Cluster tag holding namespace/name entries, comma-separated."),
  identity: policyIdSchema.describe("Id of the identity of this profile that gets them."),
  allowedNamespaces: globListSchema.describe("Namespaces allowed (globs, case-sensitive)."),
  max: credentialCount.default(10).describe("Most entries accepted (default 10)."),
});

export const profileSchema = z.strictObject({
  description: z.string().optional(),
  identities: z.array(identitySchema).min(1, { error: "must list at least one identity" }),
  serviceAccountsFromTag: serviceAccountsFromTagSchema.optional(),
});

const matchSchema = z.strictObject({
  tags: z
    .record(
      tagKeySchema,
      z.union([patternSchema, globListSchema], {
        error:
          'must be a string or a list of strings (globs); quote values such as "0042" so YAML keeps them as written',
      }),
    )
    .optional(),
  subscriptions: globListSchema.optional(),
  resourceGroups: globListSchema.optional(),
  locations: globListSchema.optional(),
  distributions: globListSchema.optional(),
  kinds: globListSchema.optional(),
});

const ruleSchema = z.strictObject({
  name: z.string().optional(),
  match: matchSchema,
  exclude: matchSchema
    .refine((m) => Object.keys(m).length > 0, {
      error: "an empty exclude would exclude every cluster; give at least one condition",
    })
    .optional(),
  profiles: z.array(policyIdSchema),
  final: z
    .boolean({ error: "must be true or false" })
    .default(false)
    .describe("When this rule matches, later rules are not looked at."),
});

const optOutTagSchema = z.strictObject({ key: tagKeySchema, value: patternSchema });

const defaultsSchema = z.strictObject({
  optOutTag: optOutTagSchema.default(() => ({ ...DEFAULT_OPT_OUT_TAG })),
  unsupportedCredentialRegions: z
    .array(locationSchema)
    .default(() => [...DEFAULT_UNSUPPORTED_CREDENTIAL_REGIONS]),
  fallbackRegion: locationSchema
    .optional()
    .describe("Where identities go instead of an unsupported region."),
  roleAssignments: z
    .strictObject({
      allowedRoles: z
        .array(patternSchema)
        .min(1, { error: "must list at least one role" })
        .describe("Roles identities may get: built-in names, GUIDs or role definition ids."),
      allowedScopes: z
        .array(patternSchema)
        .min(1, { error: "must list at least one scope" })
        .describe("Resource ids identities may get roles at (or beneath)."),
    })
    .optional()
    .describe("The allow-list every identity's roleAssignments must stay inside."),
});

/** The schema of a policy document (strict: unknown keys are refused). */
export const policyDocumentSchema = z.strictObject({
  $schema: z.string().optional(),
  defaults: defaultsSchema.default(() => ({
    optOutTag: { ...DEFAULT_OPT_OUT_TAG },
    unsupportedCredentialRegions: [...DEFAULT_UNSUPPORTED_CREDENTIAL_REGIONS],
  })),
  profiles: z.record(policyIdSchema, profileSchema),
  rules: z.array(ruleSchema).min(1, { error: "must list at least one rule" }),
});

/** A validated policy document, defaults filled in. */
export type PolicyDocument = z.output<typeof policyDocumentSchema>;
/** One profile of a policy. */
export type PolicyProfile = PolicyDocument["profiles"][string];
/** One identity of a profile. */
export type PolicyIdentity = PolicyProfile["identities"][number];
/** One rule of a policy. */
export type PolicyRule = PolicyDocument["rules"][number];
/** One role assignment an identity of the policy asks for. */
export type PolicyRoleAssignment = NonNullable<PolicyIdentity["roleAssignments"]>[number];
/** The conditions of a rule's `match` or `exclude`. */
export type PolicyMatch = PolicyRule["match"];
