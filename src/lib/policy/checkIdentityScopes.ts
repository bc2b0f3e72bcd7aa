import { IDENTITY_NAME_MAX, SHARED_BASE_NAME_MAX } from "./azureNames.js";
import { asArray, asRecord, asString, type RawProblem } from "./rawDocument.js";
import {
  DEFAULT_UNSUPPORTED_CREDENTIAL_REGIONS,
  MAX_CREDENTIALS_PER_IDENTITY,
} from "./policySchema.js";
import { parseTemplate } from "./template.js";

type Scope = "cluster" | "shared" | "existing";

const REQUIRED: Record<Scope, string[]> = {
  cluster: ["name", "resourceGroup"],
  shared: ["name", "resourceGroup"],
  existing: ["resourceId", "location"],
};

const FORBIDDEN: Record<Scope, Record<string, string>> = {
  cluster: {
    resourceId: "resourceId is only for scope existing",
    maxCredentialsPerShard: "maxCredentialsPerShard is only for scope shared",
  },
  shared: {
    resourceId: "resourceId is only for scope existing",
    onRemove:
      "onRemove is only for scope cluster: a shared identity serves other clusters and is never deleted by one leaving",
  },
  existing: {
    name: "an existing identity is named by its resourceId; remove name",
    resourceGroup:
      "an existing identity's resource group comes from its resourceId; remove resourceGroup",
    subscription:
      "an existing identity's subscription comes from its resourceId; remove subscription",
    onRemove:
      "an existing identity is never deleted (only our credentials on it are managed); remove onRemove",
    maxCredentialsPerShard: "an existing identity is not sharded; remove maxCredentialsPerShard",
    tags: "arc-wi does not tag an identity it did not create; remove tags",
  },
};

interface IdentityContext {
  path: PropertyKey[];
  identity: Record<string, unknown>;
  scope: Scope;
  tagMax: number;
  unsupportedRegions: string[];
}

/**
 * Checks each identity against the rules of its scope: required and forbidden fields, a
 * `cluster` name that varies per cluster, a `shared` name that does not (and leaves room for a
 * shard suffix), the credential cap, and regions that cannot hold federated credentials.
 *
 * @param raw - the parsed YAML/JSON (tolerant of bad shapes).
 * @returns every problem found; empty when none.
 */
export function checkIdentityScopes(raw: unknown): RawProblem[] {
  const doc = asRecord(raw) ?? {};
  const unsupportedRegions = readUnsupportedRegions(doc);
  const problems = checkFallbackRegion(doc, unsupportedRegions);

  for (const [profileName, profile] of Object.entries(asRecord(doc.profiles) ?? {})) {
    const record = asRecord(profile) ?? {};
    const fromTag = asRecord(record.serviceAccountsFromTag);
    asArray(record.identities).forEach((value, index) => {
      const identity = asRecord(value) ?? {};
      const scope = asString(identity.scope);
      if (scope !== "cluster" && scope !== "shared" && scope !== "existing") {
        return;
      }
      const isTarget = fromTag !== undefined && asString(fromTag.identity) === identity.id;
      const tagMax = isTarget ? readTagMax(fromTag) : 0;
      const path = ["profiles", profileName, "identities", index];
      problems.push(...checkIdentity({ path, identity, scope, tagMax, unsupportedRegions }));
    });
  }
  return problems;
}

function readUnsupportedRegions(doc: Record<string, unknown>): string[] {
  const listed = asRecord(doc.defaults)?.unsupportedCredentialRegions;
  const regions = Array.isArray(listed) ? listed : DEFAULT_UNSUPPORTED_CREDENTIAL_REGIONS;
  return regions.filter((r): r is string => typeof r === "string");
}

function readTagMax(fromTag: Record<string, unknown>): number {
  return typeof fromTag.max === "number" ? fromTag.max : 10;
}

function checkFallbackRegion(doc: Record<string, unknown>, unsupported: string[]): RawProblem[] {
  const fallback = asString(asRecord(doc.defaults)?.fallbackRegion);
  if (fallback === undefined || !unsupported.includes(fallback)) {
    return [];
  }
  const message = `fallbackRegion "${fallback}" is itself listed in unsupportedCredentialRegions; choose a region that can hold federated credentials`;
  return [{ path: ["defaults", "fallbackRegion"], message }];
}

function checkIdentity(context: IdentityContext): RawProblem[] {
  return [
    ...checkFields(context),
    ...checkName(context),
    ...checkCredentialCount(context),
    ...checkStaticLocation(context),
  ];
}

function checkFields({ path, identity, scope }: IdentityContext): RawProblem[] {
  const missing = REQUIRED[scope]
    .filter((field) => identity[field] === undefined)
    .map((field) => ({ path: [...path, field], message: `scope ${scope} needs ${field}` }));
  const forbidden = Object.entries(FORBIDDEN[scope])
    .filter(([field]) => identity[field] !== undefined)
    .map(([field, message]) => ({ path: [...path, field], message }));
  return [...missing, ...forbidden];
}

function checkName({ path, identity, scope }: IdentityContext): RawProblem[] {
  const name = asString(identity.name);
  const parsed = name === undefined ? undefined : parseTemplate(name);
  if (name === undefined || parsed === undefined || !parsed.ok || scope === "existing") {
    return [];
  }

  const at = [...path, "name"];
  const fixed = parsed.parts.reduce((n, p) => n + (p.kind === "text" ? p.text.length : 0), 0);
  if (fixed > IDENTITY_NAME_MAX) {
    const message = `the name's fixed text alone has ${fixed} characters, and Azure allows at most ${IDENTITY_NAME_MAX} in an identity name; shorten it`;
    return [{ path: at, message }];
  }
  const isStatic = parsed.parts.every((p) => p.kind === "text");
  if (scope === "cluster" && isStatic) {
    const message = `a cluster-scope name without placeholders would be one identity for every cluster; add {cluster} (e.g. "${name}-{cluster}") or use scope shared`;
    return [{ path: at, message }];
  }
  if (scope === "shared" && parsed.parts.some((p) => p.kind === "fact" && p.name === "cluster")) {
    const message =
      "a shared identity is shared by many clusters, so its name cannot depend on {cluster}; remove {cluster} or use scope cluster";
    return [{ path: at, message }];
  }
  const tooLongForShard = name.length > SHARED_BASE_NAME_MAX && name.length <= IDENTITY_NAME_MAX;
  if (scope === "shared" && isStatic && tooLongForShard) {
    const message = `a shared identity's base name may have at most ${SHARED_BASE_NAME_MAX} characters, leaving room for a shard suffix "-<n>" (it has ${name.length})`;
    return [{ path: at, message }];
  }
  return [];
}

function checkCredentialCount({ path, identity, scope, tagMax }: IdentityContext): RawProblem[] {
  const accounts = asArray(identity.serviceAccounts);
  const problems: RawProblem[] = [];
  accounts.forEach((account, index) => {
    if (accounts.indexOf(account) !== index) {
      const message = `service account ${JSON.stringify(account)} is listed twice; remove one`;
      problems.push({ path: [...path, "serviceAccounts", index], message });
    }
  });

  const perShard = identity.maxCredentialsPerShard;
  const limit =
    scope === "shared" && typeof perShard === "number" ? perShard : MAX_CREDENTIALS_PER_IDENTITY;
  const wanted = new Set(accounts).size + tagMax;
  if (wanted > limit) {
    const fromTag = tagMax > 0 ? ` (${tagMax} of them from serviceAccountsFromTag.max)` : "";
    const message = `one cluster could need ${wanted} credentials on this identity${fromTag}, more than the ${limit} one identity can hold; split the service accounts over more identities or lower serviceAccountsFromTag.max`;
    problems.push({ path: [...path, "serviceAccounts"], message });
  }
  return problems;
}

function checkStaticLocation(context: IdentityContext): RawProblem[] {
  const location = asString(context.identity.location);
  if (location !== undefined && context.scope === "existing" && location.includes("{")) {
    const message = `an existing identity's location is where it already lives; write it out (e.g. "westeurope") instead of a template`;
    return [{ path: [...context.path, "location"], message }];
  }
  if (location === undefined || !context.unsupportedRegions.includes(location)) {
    return [];
  }
  const message = `"${location}" is listed in defaults.unsupportedCredentialRegions (its identities cannot hold federated credentials); choose another location`;
  return [{ path: [...context.path, "location"], message }];
}
