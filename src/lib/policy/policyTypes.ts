import type { PolicyDocument } from "./policySchema.js";

/** A validated policy with its version and where it came from. */
export interface LoadedPolicy {
  /** The validated document, defaults filled in. */
  document: PolicyDocument;
  /** First 16 hex characters of the SHA-256 of the canonical content (reports carry it). */
  version: string;
  /** The file path, or `"inline"`. */
  source: string;
}

/** What the policy knows of a connectedCluster. */
export interface ClusterFacts {
  /** ARM resource id of the connectedCluster. */
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  /** The cluster's tags as ARM returns them (keys case-insensitive, values untrusted). */
  tags: Record<string, string>;
  /** `properties.distribution` (k3s, openshift, aks, eks, ...). */
  distribution?: string;
  /** `kind` (`ProvisionedCluster` for AKS Arc). */
  kind?: string;
}

/** A service account to federate, and whether the policy or a cluster tag named it. */
export interface DesiredServiceAccount {
  namespace: string;
  name: string;
  source: "policy" | "tag";
}

/** A role the policy wants an identity to hold at a scope (already checked against the allow-list). */
export interface DesiredRoleAssignment {
  /** The role as the policy wrote it (a built-in name, a GUID or a role definition id). */
  role: string;
  /** The role definition GUID, lower case. */
  roleDefinitionGuid: string;
  /** The resource id to assign at, as the policy wrote it. */
  scope: string;
}

/** One identity the policy wants for a cluster, fully rendered. */
export interface DesiredIdentity {
  /** Stable key `<profile>/<identity>`, unique in an evaluation. */
  key: string;
  scope: "cluster" | "shared" | "existing";
  subscriptionId: string;
  resourceGroup: string;
  /** The rendered name (shared: the base name, i.e. shard 0). */
  name: string;
  /** Where the identity lives: already switched to the fallback region when needed. */
  location: string;
  /** Scope `existing`: the identity's resource id; only our credentials on it are managed. */
  existingResourceId?: string;
  serviceAccounts: DesiredServiceAccount[];
  /** What happens to a cluster-scope identity no longer wanted (`keep` for other scopes). */
  onRemove: "delete" | "keep";
  /** Shared: credentials per shard before the next shard is used (20 for other scopes). */
  maxCredentialsPerShard: number;
  /** Extra Azure tags the policy puts on identities it creates. */
  tags: Record<string, string>;
  /** Roles the identity gets; present only when the policy lists some for it. */
  roleAssignments?: DesiredRoleAssignment[];
}

/**
 * Why something the policy wants for a cluster cannot be written. Codes: `InvalidTagValue`,
 * `MissingTemplateTag`, `InvalidIdentityName`, `NamespaceNotAllowed`,
 * `InvalidServiceAccount`, `TooManyServiceAccounts`, `UnsupportedRegion`, `InvalidResourceGroup`,
 * `InvalidLocation`, `IdentityConflict`.
 */
export interface IdentityProblem {
  identityKey: string;
  code: string;
  message: string;
}

/** What the policy says about one cluster. */
export type PolicyEvaluation =
  | { kind: "skipped"; reason: string }
  | {
      kind: "selected";
      /** Selected profiles, in rule order, each once. */
      profiles: string[];
      /** What may be written. An identity with a problem in its name or place is absent. */
      identities: DesiredIdentity[];
      problems: IdentityProblem[];
    };
