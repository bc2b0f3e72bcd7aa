/**
 * What the emulator holds: clusters, identities with their credentials, and running operations;
 * and how it is saved to and read back from a state file.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** A value that changes from `pending` to `final` at emulator time `until`. */
export interface Timed {
  pending: string;
  final: string;
  until: number;
}

export interface ClusterRecord {
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  tags: Record<string, string>;
  kind?: string;
  identity: { type: string; principalId?: string; tenantId?: string };
  /** The writable properties exactly as the last PUT (or seed) gave them, defaults applied. */
  properties: Record<string, unknown>;
  /** Read-only properties the agents report once the cluster is connected. */
  reported: Record<string, unknown>;
  /** Connectivity: `pending` ("Connecting") until `until`, then `final`. */
  connectivity: Timed;
  provisioning: Timed;
  /** Agents are converging (`Updating`) until `agentConvergeAt`; `agentState` pins a seeded value. */
  agentConvergeAt: number;
  agentState?: string;
  /** The uuid in this cluster's issuer URL: new for every cluster created under a name. */
  issuerId: string;
  /** When OIDC was enabled plus the issuer delay; absent while OIDC is off. */
  issuerReadyAt?: number;
  /** An issuer URL given by a seed, used verbatim instead of an emulator-served one. */
  issuerUrlOverride?: string;
  createdAt: number;
  lastModifiedAt: number;
}

export interface CredentialRecord {
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
}

export interface IdentityRecord {
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  tags: Record<string, string>;
  clientId: string;
  principalId: string;
  tenantId: string;
  isolationScope?: string;
  createdAt: number;
  /** Before this emulator time the identity is not yet visible everywhere (eventual consistency). */
  visibleAt: number;
  credentials: CredentialRecord[];
}

export interface OperationRecord {
  id: string;
  location: string;
  subscriptionId: string;
  clusterKey: string;
  action: "put" | "patch" | "delete";
  startedAt: number;
  endsAt: number;
  outcome: "Succeeded" | "Failed";
  settled: boolean;
}

export interface PersistedState {
  version: 1;
  port?: number;
  tenantId: string;
  clockNow: number;
  tls?: { cert: string; key: string };
  clusters: ClusterRecord[];
  identities: IdentityRecord[];
  operations: OperationRecord[];
  roleAssignments: unknown[];
}

/** The key of a resource: subscription, resource group and name, lower-cased (ARM is case-insensitive). */
export function resourceKey(subscriptionId: string, resourceGroup: string, name: string): string {
  return `${subscriptionId}/${resourceGroup}/${name}`.toLowerCase();
}

export class EmulatorStore {
  readonly clusters = new Map<string, ClusterRecord>();
  readonly identities = new Map<string, IdentityRecord>();
  readonly operations = new Map<string, OperationRecord>();
  roleAssignments: unknown[] = [];
  /** Identity key → emulator time until which a credential write holds it (not persisted). */
  readonly credentialLocks = new Map<string, number>();

  /**
   * Applies what finished operations leave behind (a deleted cluster disappears) as of `now`.
   */
  settle(now: number): void {
    for (const op of this.operations.values()) {
      if (op.settled || op.endsAt > now) continue;
      op.settled = true;
      if (op.action === "delete" && op.outcome === "Succeeded") this.clusters.delete(op.clusterKey);
    }
  }

  toState(extra: {
    port?: number;
    tenantId: string;
    clockNow: number;
    tls?: PersistedState["tls"];
  }): PersistedState {
    return {
      version: 1,
      ...extra,
      clusters: [...this.clusters.values()],
      identities: [...this.identities.values()],
      operations: [...this.operations.values()],
      roleAssignments: this.roleAssignments,
    };
  }

  load(state: PersistedState): void {
    for (const c of state.clusters)
      this.clusters.set(resourceKey(c.subscriptionId, c.resourceGroup, c.name), c);
    for (const i of state.identities)
      this.identities.set(resourceKey(i.subscriptionId, i.resourceGroup, i.name), i);
    for (const o of state.operations) this.operations.set(o.id, o);
    this.roleAssignments = state.roleAssignments ?? [];
  }
}

/** Reads a state file; undefined when it does not exist yet. Throws on a file that is not ours. */
export function tryReadState(path: string): PersistedState | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const state = JSON.parse(text) as PersistedState;
  if (state.version !== 1 || !Array.isArray(state.clusters) || !Array.isArray(state.identities)) {
    throw new Error(
      `Emulator state file ${path} is not a version 1 emulator state; move it away or pick another --state path.`,
    );
  }
  return state;
}

/** Writes the state file atomically (temporary file, then rename). */
export function writeState(path: string, state: PersistedState): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2));
  renameSync(tmp, path);
}
