/**
 * The least time the emulator's configured limits allow for a run's mix of writes: the binding
 * one of ARM's write and delete buckets per subscription, the identity service's tenant,
 * subscription and per-resource buckets, and the serial credential writes per identity
 * (FACTS.md §4.2 and §5). Computed from the writes the run got accepted, so it is the budget of
 * the work actually done.
 */
import type { BucketConfig, EmulatorConfig, RequestLogEntry } from "../src/emulator/index.js";

/** One lower bound, in emulator seconds, and what imposes it. */
export interface BudgetBound {
  limit: string;
  seconds: number;
}

/** The budget and every bound it was taken from (largest first). */
export interface Budget {
  budgetSeconds: number;
  bounds: BudgetBound[];
}

interface Write {
  target: "cluster" | "identity" | "credential";
  op: "writes" | "deletes";
  subscription: string;
  identity?: string;
  resource: string;
}

/** Seconds until the `n`-th token of a bucket that starts full. */
export function bucketSeconds(n: number, bucket: BucketConfig): number {
  return n <= bucket.burst ? 0 : (n - bucket.burst) / bucket.refillPerSec;
}

/** Classifies an accepted write or delete of the request log (undefined for anything else). */
export function classifyWrite(entry: RequestLogEntry): Write | undefined {
  if (entry.kind === "read" || entry.status < 200 || entry.status >= 300) return undefined;
  const path = entry.path.toLowerCase();
  const subscription = path.split("/")[2] ?? "";
  const op = entry.kind === "delete" ? "deletes" : "writes";
  const [identity] = path.split("/federatedidentitycredentials/");
  if (path.includes("/federatedidentitycredentials/"))
    return { target: "credential", op, subscription, identity, resource: path };
  if (path.includes("/userassignedidentities/"))
    return { target: "identity", op, subscription, identity: path, resource: path };
  return { target: "cluster", op, subscription, resource: path };
}

function countBy<T>(items: T[], key: (item: T) => string | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

function maxBound(limit: string, counts: Map<string, number>, bucket: BucketConfig): BudgetBound {
  const worst = Math.max(0, ...counts.values());
  return { limit, seconds: bucketSeconds(worst, bucket) };
}

function throttleBounds(writes: Write[], t: EmulatorConfig["throttling"]): BudgetBound[] {
  const msi = writes.filter((w) => w.target !== "cluster");
  const bounds: BudgetBound[] = [];
  for (const op of ["writes", "deletes"] as const) {
    const ofOp = writes.filter((w) => w.op === op);
    const msiOfOp = msi.filter((w) => w.op === op);
    const perIdentity = msiOfOp.filter(
      (w) => w.target === "identity" || t.msi.countCredentialWritesAgainstIdentity,
    );
    bounds.push(
      maxBound(
        `ARM ${op} per subscription`,
        countBy(ofOp, (w) => w.subscription),
        t[op],
      ),
      maxBound(
        `identity service ${op} per tenant`,
        countBy(msiOfOp, () => "tenant"),
        t.msi.tenant[op],
      ),
      maxBound(
        `identity service ${op} per subscription`,
        countBy(msiOfOp, (w) => w.subscription),
        t.msi.subscription[op],
      ),
      maxBound(
        `identity service ${op} per identity`,
        countBy(perIdentity, (w) => w.identity),
        t.msi.perResource[op],
      ),
      maxBound(
        `identity service ${op} per credential`,
        countBy(
          msiOfOp.filter((w) => w.target === "credential"),
          (w) => w.resource,
        ),
        t.msi.perResource[op],
      ),
    );
  }
  return bounds;
}

/** Credential writes on one identity are serial: the longest chain of write latencies. */
function serialBound(writes: Write[], delays: EmulatorConfig["delays"]): BudgetBound {
  const chains = new Map<string, number>();
  for (const w of writes) {
    if (w.identity === undefined) continue;
    const ms = w.target === "credential" ? delays.ficWriteLatencyMs : delays.identityWriteLatencyMs;
    chains.set(w.identity, (chains.get(w.identity) ?? 0) + ms);
  }
  return { limit: "serial writes per identity", seconds: Math.max(0, ...chains.values()) / 1000 };
}

/** One cluster's unavoidable waits: its PUT, the issuer and the agents, then one identity chain. */
function clusterPathBound(writes: Write[], config: EmulatorConfig): BudgetBound {
  const { delays } = config;
  const waits = Math.max(delays.operationMs, delays.issuerMs, delays.agentMs);
  const chain = serialBound(writes, delays).seconds * 1000;
  const seconds = writes.some((w) => w.target === "cluster")
    ? (waits + chain) / 1000
    : chain / 1000;
  return { limit: "one cluster's Azure delays", seconds };
}

/** The budget of a run from its request log, under the emulator's configuration. */
export function computeBudget(log: readonly RequestLogEntry[], config: EmulatorConfig): Budget {
  const writes = log.map(classifyWrite).filter((w): w is Write => w !== undefined);
  const bounds = config.throttling.enabled ? throttleBounds(writes, config.throttling) : [];
  bounds.push(serialBound(writes, config.delays), clusterPathBound(writes, config));
  bounds.sort((a, b) => b.seconds - a.seconds);
  return { budgetSeconds: bounds[0]?.seconds ?? 0, bounds };
}
