/**
 * Naming rules of Azure and Kubernetes that the policy checks before anything is written.
 *
 * @see https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names
 */

/** userAssignedIdentities: 3-128 characters, alphanumerics, `-` and `_`, first alphanumeric. */
export const IDENTITY_NAME_MIN = 3;
/** Longest userAssignedIdentity name Azure accepts. */
export const IDENTITY_NAME_MAX = 128;
/** Room kept at the end of a shared identity's base name for a shard suffix `-<n>` (n ≤ 999). */
export const SHARD_SUFFIX_MAX = 4;
/** Longest base name of a `shared` identity. */
export const SHARED_BASE_NAME_MAX = IDENTITY_NAME_MAX - SHARD_SUFFIX_MAX;
/** Characters allowed anywhere in an identity name. */
export const IDENTITY_NAME_CHARS = /^[a-zA-Z0-9_-]+$/;
const IDENTITY_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;

/** Longest Kubernetes DNS-1123 label (namespace, service account name as the policy takes it). */
export const K8S_NAME_MAX = 63;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Resource groups: 1-90 characters, letters, digits, `-_.()`, not ending in a period. */
export const RESOURCE_GROUP_MAX = 90;
const RESOURCE_GROUP = /^[-\p{L}\p{N}_.()]+$/u;

const SUBSCRIPTION_ID = /^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const LOCATION = /^[a-z][a-z0-9]{1,49}$/;

/** Longest Azure tag name and value. */
export const AZURE_TAG_NAME_MAX = 512;
/** Longest Azure tag value. */
export const AZURE_TAG_VALUE_MAX = 256;
const AZURE_TAG_NAME_FORBIDDEN = /[<>%&\\?/]/;

/** Why `name` is not a valid userAssignedIdentity name, or undefined when it is. */
export function explainIdentityName(name: string, max = IDENTITY_NAME_MAX): string | undefined {
  if (name.length < IDENTITY_NAME_MIN || name.length > max) {
    return `must be ${IDENTITY_NAME_MIN}-${max} characters long (it has ${name.length})`;
  }
  if (!IDENTITY_NAME.test(name)) {
    return 'may hold only letters, digits, "-" and "_", and must start with a letter or digit';
  }
  return undefined;
}

/** Why `name` is not a DNS-1123 label (lower case, ≤ 63), or undefined when it is. */
export function explainDnsLabel(name: string): string | undefined {
  if (name.length === 0 || name.length > K8S_NAME_MAX) {
    return `must be 1-${K8S_NAME_MAX} characters long (it has ${name.length})`;
  }
  if (!DNS_LABEL.test(name)) {
    return 'must be a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit';
  }
  return undefined;
}

/** Why `name` is not a resource group name, or undefined when it is. */
export function explainResourceGroupName(name: string): string | undefined {
  if (name.length === 0 || name.length > RESOURCE_GROUP_MAX) {
    return `must be 1-${RESOURCE_GROUP_MAX} characters long (it has ${name.length})`;
  }
  if (!RESOURCE_GROUP.test(name) || name.endsWith(".")) {
    return 'may hold only letters, digits, "-", "_", ".", "(" and ")", and must not end with "."';
  }
  return undefined;
}

/** Whether `id` is a subscription id (a GUID). */
export function isSubscriptionId(id: string): boolean {
  return SUBSCRIPTION_ID.test(id);
}

/** Whether `name` is an Azure location in its normalized form (`westeurope`, not `West Europe`). */
export function isLocationName(name: string): boolean {
  return LOCATION.test(name);
}

/** Normalizes a location for comparison only (`West Europe` → `westeurope`); never for writing. */
export function normalizeLocation(name: string): string {
  return name.replace(/\s+/g, "").toLowerCase();
}

/** Why `name` cannot be an Azure tag name, or undefined when it can. */
export function explainAzureTagName(name: string): string | undefined {
  if (name.length === 0 || name.length > AZURE_TAG_NAME_MAX) {
    return `must be 1-${AZURE_TAG_NAME_MAX} characters long (it has ${name.length})`;
  }
  if (AZURE_TAG_NAME_FORBIDDEN.test(name)) {
    return 'must not contain "<", ">", "%", "&", "\\", "?" or "/"';
  }
  return undefined;
}
