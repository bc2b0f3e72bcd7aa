/**
 * The chaos run's invariants, checked once the run is quiet, from what the emulator holds (read
 * over plain HTTPS, every identity of the subscription) and its request log: every cluster's
 * actual state equals its desired state, no duplicate identities or credentials, no orphans,
 * and nothing written to a resource we do not own.
 */
import type { RequestLogEntry } from "../../src/emulator/index.js";
import type { ClusterFacts, LoadedPolicy } from "../../src/lib/policy/index.js";
import { CLUSTER_API, callArmPatiently, listAll, MSI_API } from "./armReader.js";
import {
  credentialKey,
  desiredStateOf,
  identityKey,
  shardOf,
  sharedBaseOf,
  type DesiredState,
} from "./desiredState.js";

export interface InvariantResult {
  name: string;
  ok: boolean;
  problems: string[];
}

export interface InvariantInput {
  baseUrl: string;
  caPem: string;
  policy: LoadedPolicy;
  /** Clusters that should exist, as the policy sees them. */
  clusters: ClusterFacts[];
  /**
   * Clusters deleted during the run: their shared identities may stay, empty of their
   * credentials (docs/policy.md: a shared identity is never deleted because a cluster left).
   */
  deleted?: ClusterFacts[];
  /** The subscription whose identities are read. */
  subscriptionId: string;
  /** Lower-cased ids of identities we do not own (seeded before the run). */
  foreign: string[];
  log: readonly RequestLogEntry[];
}

interface Credential {
  identity: string;
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
}

interface Actual {
  /** Identity key → its lower-cased resource id. */
  identities: Map<string, string>;
  credentials: Credential[];
}

/** The resource group in a resource id. */
function resourceGroupOf(id: string): string {
  return id.split("/")[4] ?? "";
}

async function readActual(input: InvariantInput): Promise<Actual> {
  const base = `/subscriptions/${input.subscriptionId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities`;
  const list = await listAll(input.baseUrl, input.caPem, `${base}?api-version=${MSI_API}`);
  const identities = new Map(
    list.map((i) => {
      const id = String(i.id);
      return [identityKey(resourceGroupOf(id), String(i.name)), id.toLowerCase()];
    }),
  );
  const credentials: Credential[] = [];
  for (const [key, id] of identities) {
    const path = `${id}/federatedIdentityCredentials?api-version=${MSI_API}`;
    for (const c of await listAll(input.baseUrl, input.caPem, path)) {
      const p = (c.properties ?? {}) as { issuer?: string; subject?: string; audiences?: string[] };
      credentials.push({
        identity: key,
        name: String(c.name),
        issuer: p.issuer ?? "",
        subject: p.subject ?? "",
        audiences: p.audiences ?? [],
      });
    }
  }
  return { identities, credentials };
}

async function readIssuer(input: InvariantInput, cluster: ClusterFacts, problems: string[]) {
  const reply = await callArmPatiently({
    baseUrl: input.baseUrl,
    caPem: input.caPem,
    method: "GET",
    path: `${cluster.id}?api-version=${CLUSTER_API}`,
  });
  const p = (reply.body.properties ?? {}) as {
    oidcIssuerProfile?: { enabled?: boolean; issuerUrl?: string };
    securityProfile?: { workloadIdentity?: { enabled?: boolean } };
  };
  // The engine's PUT copies every writable property back: the tags too.
  const tags = JSON.stringify(reply.body.tags ?? {});
  if (tags !== JSON.stringify(cluster.tags))
    problems.push(`${cluster.name}: tags are ${tags}, not ${JSON.stringify(cluster.tags)}`);
  if (
    p.oidcIssuerProfile?.enabled !== true ||
    p.securityProfile?.workloadIdentity?.enabled !== true
  )
    problems.push(`${cluster.name}: OIDC issuer or workload identity is not enabled`);
  return p.oidcIssuerProfile?.issuerUrl ?? "";
}

/** Runs every check and returns one result per invariant. */
export async function checkInvariants(input: InvariantInput): Promise<InvariantResult[]> {
  const problems: string[] = [];
  const actual = await readActual(input);
  const desired = await desiredStateOf({
    policy: input.policy,
    remaining: input.clusters,
    deleted: input.deleted ?? [],
    issuerOf: (cluster) => readIssuer(input, cluster, problems),
  });
  const foreign = new Set(input.foreign);
  const isOurs = (key: string) => !foreign.has(actual.identities.get(key) ?? "");
  const ours = actual.credentials.filter((c) => isOurs(c.identity));

  problems.push(...findDeletesOfWanted(input.log, desired));
  return [
    checkDesired(desired, actual, ours, problems),
    checkDuplicates(desired, actual, ours),
    checkOrphans(desired, actual, ours, isOurs),
    checkForeign(input, desired, actual),
  ];
}

function checkDesired(
  desired: DesiredState,
  actual: Actual,
  ours: Credential[],
  problems: string[],
): InvariantResult {
  for (const key of desired.identities)
    if (!actual.identities.has(key)) problems.push(`identity ${key} is missing`);
  for (const [key, want] of desired.credentials) {
    const found = ours.filter(
      (c) => credentialKey(desired, c.identity, c.issuer, c.subject) === key,
    );
    if (found.length === 0) problems.push(`${want.cluster}: no credential for ${key}`);
    else if (want.name && !found.some((c) => c.name.toLowerCase() === want.name!.toLowerCase()))
      problems.push(`${want.cluster}: credential for ${key} has another name`);
  }
  for (const c of ours)
    if (c.audiences.length !== 1 || c.audiences[0] !== "api://AzureADTokenExchange")
      problems.push(`credential ${c.identity}/${c.name} has audiences ${c.audiences.join(",")}`);
  return { name: "actual state equals desired state", ok: problems.length === 0, problems };
}

/**
 * Deletes in the log of what a remaining cluster still wants: the end state may look right,
 * but a re-created identity has new client and principal ids, and a re-created credential
 * meant an outage for its pods.
 */
function findDeletesOfWanted(log: readonly RequestLogEntry[], desired: DesiredState): string[] {
  const names = new Set([...desired.credentials.values()].map((c) => c.name?.toLowerCase()));
  const problems: string[] = [];
  for (const entry of log) {
    if (entry.kind !== "delete") continue;
    const segments = targetOf(entry).split("/");
    if (segments[7] !== "userassignedidentities") continue;
    const key = identityKey(segments[4] ?? "", segments[8] ?? "");
    if (segments.length === 9 && desired.identities.has(key))
      problems.push(`identity ${key} was deleted while its cluster remains`);
    if (segments.length === 11 && names.has(segments[10]))
      problems.push(`credential ${key}/${segments[10]} was deleted while its cluster remains`);
  }
  return problems;
}

/** One credential per family, issuer and subject; no shard beyond what the clusters need. */
function checkDuplicates(
  desired: DesiredState,
  actual: Actual,
  ours: Credential[],
): InvariantResult {
  const seen = new Map<string, number>();
  for (const c of ours) {
    const key = credentialKey(desired, c.identity, c.issuer, c.subject);
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const problems = [...seen]
    .filter(([, n]) => n > 1)
    .map(([key, n]) => `${n} credentials for ${key}`);
  for (const key of actual.identities.keys()) {
    const base = sharedBaseOf(desired, key);
    const family = base === undefined ? undefined : desired.shared.get(base);
    if (base !== undefined && family !== undefined && shardOf(key, base) > family.maxShard)
      problems.push(
        `identity ${key} is a shard beyond the ${family.maxShard + 1} that ${family.credentialsEver} credentials need`,
      );
  }
  return { name: "no duplicate identities or credentials", ok: problems.length === 0, problems };
}

function checkOrphans(
  desired: DesiredState,
  actual: Actual,
  ours: Credential[],
  isOurs: (key: string) => boolean,
): InvariantResult {
  const problems: string[] = [];
  for (const key of actual.identities.keys())
    if (isOurs(key) && !desired.identities.has(key) && sharedBaseOf(desired, key) === undefined)
      problems.push(`identity ${key} is not wanted by any cluster`);
  for (const c of ours)
    if (!desired.credentials.has(credentialKey(desired, c.identity, c.issuer, c.subject)))
      problems.push(
        `credential ${c.identity}/${c.name} (${c.subject}) is not wanted by any cluster`,
      );
  return { name: "no orphans", ok: problems.length === 0, problems };
}

/** The resource a logged request targeted: its path decoded as ARM reads it, lower-cased. */
function targetOf(entry: RequestLogEntry): string {
  return entry.path
    .split("/")
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join("/")
    .toLowerCase();
}

/**
 * Whether the app may write `target`: a fleet cluster itself, or in the subscription an identity
 * it may own or one of that identity's federated credentials. Nothing else (no other
 * subscription, no role assignment, no child of a cluster).
 */
function isOursToWrite(args: {
  subscriptionId: string;
  fleet: Set<string>;
  desired: DesiredState;
  target: string;
}): boolean {
  const { desired, target } = args;
  // "", "subscriptions", <id>, "resourcegroups", <group>, "providers", <namespace>, <type>, <name>
  const segments = target.split("/");
  if (segments[2] !== args.subscriptionId) return false;
  const [namespace, type] = [segments[6], segments[7]];
  if (namespace === "microsoft.kubernetes") return segments.length === 9 && args.fleet.has(target);
  if (namespace !== "microsoft.managedidentity" || type !== "userassignedidentities") return false;
  const child = segments.length === 11 && segments[9] === "federatedidentitycredentials";
  if (segments.length !== 9 && !child) return false;
  const key = identityKey(segments[4] ?? "", segments[8] ?? "");
  return desired.everOwned.has(key) || sharedBaseOf(desired, key) !== undefined;
}

/** Lower-cased ids of the fleet's clusters, remaining or deleted. */
function fleetIds(input: InvariantInput): Set<string> {
  return new Set([...input.clusters, ...(input.deleted ?? [])].map((c) => c.id.toLowerCase()));
}

/** Every write in the log went to a cluster or an identity the policy lets the app own. */
function checkForeign(
  input: InvariantInput,
  desired: DesiredState,
  actual: Actual,
): InvariantResult {
  const writes = new Map<string, number>();
  const subscriptionId = input.subscriptionId.toLowerCase();
  const fleet = fleetIds(input);
  for (const entry of input.log) {
    if (entry.kind === "read") continue;
    const target = targetOf(entry);
    if (!isOursToWrite({ subscriptionId, fleet, desired, target }))
      writes.set(target, (writes.get(target) ?? 0) + 1);
  }
  const problems = [...writes].map(([target, n]) => `${n} write(s) to ${target}`);
  const present = new Set(actual.identities.values());
  for (const id of input.foreign) if (!present.has(id)) problems.push(`${id} is gone`);
  return {
    name: "nothing written to a resource we do not own",
    ok: problems.length === 0,
    problems,
  };
}
