/**
 * The chaos run's invariants, checked once the run is quiet, from what the emulator holds:
 * every cluster's actual state equals its desired state, no duplicate identities or
 * credentials, no orphans, and nothing written to a resource we do not own.
 */
import type { RequestLogEntry } from "../../src/emulator/index.js";
import {
  evaluatePolicy,
  type ClusterFacts,
  type LoadedPolicy,
} from "../../src/lib/policy/index.js";
import { credentialName, subjectOf } from "../../src/lib/reconcile/naming.js";
import { CLUSTER_API, callArmPatiently, listAll, MSI_API } from "./armReader.js";

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
  /** Resource group of every identity the policy places. */
  identityGroup: { subscriptionId: string; resourceGroup: string };
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
  identities: Map<string, Record<string, unknown>>;
  credentials: Credential[];
}

async function readActual(input: InvariantInput): Promise<Actual> {
  const { subscriptionId, resourceGroup } = input.identityGroup;
  const base = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities`;
  const list = await listAll(input.baseUrl, input.caPem, `${base}?api-version=${MSI_API}`);
  const identities = new Map(list.map((i) => [String(i.name).toLowerCase(), i]));
  const credentials: Credential[] = [];
  for (const name of identities.keys()) {
    const path = `${base}/${name}/federatedIdentityCredentials?api-version=${MSI_API}`;
    for (const c of await listAll(input.baseUrl, input.caPem, path)) {
      const p = (c.properties ?? {}) as { issuer?: string; subject?: string; audiences?: string[] };
      credentials.push({
        identity: name,
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
  if (
    p.oidcIssuerProfile?.enabled !== true ||
    p.securityProfile?.workloadIdentity?.enabled !== true
  )
    problems.push(`${cluster.name}: OIDC issuer or workload identity is not enabled`);
  return p.oidcIssuerProfile?.issuerUrl ?? "";
}

/** A credential key: identity family (shards folded), issuer and subject. */
function keyOf(identity: string, issuer: string, subject: string): string {
  return `${identity.replace(/-\d+$/, "")}|${issuer}|${subject}`;
}

interface Expected {
  identities: Set<string>;
  sharedBases: Set<string>;
  /** Credential key → its deterministic name (cluster scope) and the cluster wanting it. */
  credentials: Map<string, { name?: string; cluster: string }>;
}

/** What the policy wants for the remaining clusters, with their issuers read from ARM. */
async function expectedState(input: InvariantInput, problems: string[]): Promise<Expected> {
  const expected: Expected = {
    identities: new Set(),
    sharedBases: new Set(),
    credentials: new Map(),
  };
  for (const cluster of input.deleted ?? []) {
    const evaluation = evaluatePolicy(input.policy, cluster);
    if (evaluation.kind === "skipped") continue;
    for (const identity of evaluation.identities)
      if (identity.scope === "shared") expected.sharedBases.add(identity.name.toLowerCase());
  }
  for (const cluster of input.clusters) {
    const issuer = await readIssuer(input, cluster, problems);
    const evaluation = evaluatePolicy(input.policy, cluster);
    if (evaluation.kind === "skipped") continue;
    for (const identity of evaluation.identities) {
      const name = identity.name.toLowerCase();
      if (identity.scope === "shared") expected.sharedBases.add(name);
      else expected.identities.add(name);
      for (const sa of identity.serviceAccounts) {
        const credential =
          identity.scope === "shared"
            ? undefined
            : credentialName(cluster.id, sa.namespace, sa.name);
        const key = keyOf(name, issuer, subjectOf(sa.namespace, sa.name));
        expected.credentials.set(key, { name: credential, cluster: cluster.name });
      }
    }
  }
  return expected;
}

function checkDesired(expected: Expected, actual: Actual, ours: Credential[], problems: string[]) {
  for (const name of expected.identities)
    if (!actual.identities.has(name)) problems.push(`identity ${name} is missing`);
  for (const [key, want] of expected.credentials) {
    const found = ours.filter((c) => keyOf(c.identity, c.issuer, c.subject) === key);
    if (found.length === 0) problems.push(`${want.cluster}: no credential for ${key}`);
    else if (want.name && !found.some((c) => c.name.toLowerCase() === want.name!.toLowerCase()))
      problems.push(`${want.cluster}: credential for ${key} has another name`);
  }
  for (const c of ours)
    if (c.audiences.length !== 1 || c.audiences[0] !== "api://AzureADTokenExchange")
      problems.push(`credential ${c.identity}/${c.name} has audiences ${c.audiences.join(",")}`);
  return { name: "actual state equals desired state", ok: problems.length === 0, problems };
}

/** Runs every check and returns one result per invariant. */
export async function checkInvariants(input: InvariantInput): Promise<InvariantResult[]> {
  const problems: string[] = [];
  const actual = await readActual(input);
  const expected = await expectedState(input, problems);
  const isForeign = (identity: string) => input.foreign.some((f) => f.endsWith(`/${identity}`));
  const ours = actual.credentials.filter((c) => !isForeign(c.identity));
  const isShard = (name: string) =>
    expected.sharedBases.has(name.replace(/-\d+$/, "")) || expected.sharedBases.has(name);

  return [
    checkDesired(expected, actual, ours, problems),
    checkDuplicates(ours),
    checkOrphans({
      actual,
      ours,
      expected: expected.credentials,
      expectedIdentities: expected.identities,
      isShard,
      foreign: input.foreign,
    }),
    checkForeign(input, actual),
  ];
}

function checkDuplicates(ours: Credential[]): InvariantResult {
  const seen = new Map<string, number>();
  for (const c of ours) {
    const key = keyOf(c.identity, c.issuer, c.subject);
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const problems = [...seen]
    .filter(([, n]) => n > 1)
    .map(([key, n]) => `${n} credentials for ${key}`);
  return { name: "no duplicate identities or credentials", ok: problems.length === 0, problems };
}

function checkOrphans(args: {
  actual: Actual;
  ours: Credential[];
  expected: Map<string, unknown>;
  expectedIdentities: Set<string>;
  isShard: (name: string) => boolean;
  foreign: string[];
}): InvariantResult {
  const problems: string[] = [];
  for (const name of args.actual.identities.keys()) {
    const isForeign = args.foreign.some((f) => f.endsWith(`/${name}`));
    if (!isForeign && !args.expectedIdentities.has(name) && !args.isShard(name))
      problems.push(`identity ${name} is not wanted by any cluster`);
  }
  for (const c of args.ours)
    if (!args.expected.has(keyOf(c.identity, c.issuer, c.subject)))
      problems.push(
        `credential ${c.identity}/${c.name} (${c.subject}) is not wanted by any cluster`,
      );
  return { name: "no orphans", ok: problems.length === 0, problems };
}

function checkForeign(input: InvariantInput, actual: Actual): InvariantResult {
  const problems: string[] = [];
  for (const id of input.foreign) {
    const writes = input.log.filter(
      (e) => e.kind !== "read" && e.path.toLowerCase().startsWith(id),
    );
    if (writes.length > 0) problems.push(`${writes.length} write(s) to ${id}`);
    if (!actual.identities.has(id.split("/").pop()!)) problems.push(`${id} is gone`);
  }
  return {
    name: "nothing written to a resource we do not own",
    ok: problems.length === 0,
    problems,
  };
}
