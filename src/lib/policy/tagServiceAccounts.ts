import type { ClusterTagView } from "./clusterTags.js";
import { displayValue } from "./displayValue.js";
import { matchesAnyGlob } from "./glob.js";
import { explainServiceAccountRef } from "./policyFields.js";
import type { PolicyProfile } from "./policySchema.js";
import type { DesiredServiceAccount, IdentityProblem } from "./policyTypes.js";

/** The `serviceAccountsFromTag` setting of a profile. */
export type ServiceAccountsFromTag = NonNullable<PolicyProfile["serviceAccountsFromTag"]>;

/** Service accounts read from a tag, and the entries refused. */
export interface TagServiceAccounts {
  accounts: DesiredServiceAccount[];
  problems: IdentityProblem[];
}

/**
 * Reads service accounts from the tag a profile names: a comma-separated list of
 * `namespace/name`, each entry taken exactly as written (never trimmed or lower-cased), both
 * parts DNS-1123 labels, the namespace matching the profile's `allowedNamespaces`.
 *
 * All or nothing: when any entry is refused, or there are more than `max`, nothing from the tag
 * is used (each refused entry is a problem naming it); the policy's own service accounts are not
 * affected. An absent tag or an empty value supplies nothing and is not a problem.
 */
export function readTagServiceAccounts(
  setting: ServiceAccountsFromTag,
  tags: ClusterTagView,
  identityKey: string,
): TagServiceAccounts {
  const found = tags.lookup(setting.tag);
  if (found.kind === "absent" || (found.kind === "value" && found.value === "")) {
    return { accounts: [], problems: [] };
  }
  const tag = displayValue(setting.tag);
  if (found.kind === "ambiguous") {
    const message = `the cluster has tag ${tag} more than once with different values (keys ${found.entries
      .map((e) => e.key)
      .map((k) => displayValue(k))
      .join(", ")}); keep one. Nothing from this tag is federated until then`;
    return { accounts: [], problems: [{ identityKey, code: "InvalidTagValue", message }] };
  }

  const entries = found.value.split(",");
  if (entries.length > setting.max) {
    const message = `tag ${tag} lists ${entries.length} service accounts, more than the ${setting.max} this profile allows; shorten the list. Nothing from this tag is federated until then`;
    return { accounts: [], problems: [{ identityKey, code: "TooManyServiceAccounts", message }] };
  }

  const problems = entries.flatMap((entry) => checkEntry(entry, setting, identityKey));
  if (problems.length > 0) {
    return { accounts: [], problems };
  }
  return { accounts: toAccounts(entries), problems: [] };
}

function checkEntry(entry: string, setting: ServiceAccountsFromTag, identityKey: string) {
  const prefix = `tag ${displayValue(setting.tag)}: entry ${displayValue(entry)} is refused`;
  const suffix = "Nothing from this tag is federated until the tag is fixed";
  const syntax = explainServiceAccountRef(entry);
  if (syntax !== undefined) {
    const hint =
      entry.trim() !== entry ? ' (entries are not trimmed: remove the spaces around ",")' : "";
    const reason = entry === "" ? "it is empty" : syntax;
    const message = `${prefix}: ${reason}${hint}. ${suffix}`;
    return [{ identityKey, code: "InvalidServiceAccount", message }];
  }

  const namespace = entry.slice(0, entry.indexOf("/"));
  if (!matchesAnyGlob(namespace, setting.allowedNamespaces, { ignoreCase: false })) {
    const allowed = setting.allowedNamespaces.join(", ");
    const message = `${prefix}: namespace ${displayValue(namespace)} is not allowed here (allowed: ${allowed}). ${suffix}`;
    return [{ identityKey, code: "NamespaceNotAllowed", message }];
  }
  return [];
}

function toAccounts(entries: string[]): DesiredServiceAccount[] {
  return [...new Set(entries)].map((entry) => {
    const [namespace = "", name = ""] = entry.split("/");
    return { namespace, name, source: "tag" };
  });
}
