import type { ArmRequestError } from "../arm/armRequestError.js";
import type { DesiredIdentity, IdentityProblem } from "../policy/index.js";
import type { ActionResult, ClusterReport, ReportedIdentity } from "./contract.js";
import { applyIdentitySteps } from "./applySteps.js";
import type { EngineDeps } from "./engineDeps.js";
import { baseRef, observeIdentity } from "./observeIdentity.js";
import { idOf, planIdentity } from "./planIdentity.js";
import { reconcileRoleAssignments } from "./reconcileRoleAssignments.js";

/** The outcome of reconciling every desired identity of one cluster. */
export interface IdentitiesOutcome {
  identities: ReportedIdentity[];
  actions: ActionResult[];
  errors: ArmRequestError[];
  /** Ids (lower-cased) of the identities now holding this cluster's credentials. */
  usedIdentityIds: Set<string>;
}

/**
 * Reconciles each desired identity: in parallel across identities, and for each one, under
 * its family's lock, observe → plan → apply (apply skipped in a dry run), then its role
 * assignments once the identity is in place. An identity with a policy problem gets no write at all.
 */
export async function reconcileIdentities(args: {
  deps: EngineDeps;
  clusterId: string;
  desired: DesiredIdentity[];
  problems: IdentityProblem[];
  issuer: string;
  dryRun: boolean;
  /** The last report, when it says the cluster converged (hot-path reads). */
  previous?: ClusterReport;
}): Promise<IdentitiesOutcome> {
  const outcome: IdentitiesOutcome = {
    identities: [],
    actions: [],
    errors: [],
    usedIdentityIds: new Set(),
  };
  const problemIdentities = reportProblems(args.problems);
  const runs = args.desired.map((desired) => reconcileOne(args, desired));

  for (const one of await Promise.all(runs)) {
    outcome.identities.push(one.identity);
    outcome.actions.push(...one.actions);
    if (one.error) outcome.errors.push(one.error);
    if (!one.identity.problem) outcome.usedIdentityIds.add(one.identity.resourceId.toLowerCase());
  }
  outcome.identities.push(...problemIdentities);
  return outcome;
}

async function reconcileOne(
  args: Parameters<typeof reconcileIdentities>[0],
  desired: DesiredIdentity,
) {
  const family = idOf(baseRef(desired));
  return args.deps.locks.withLock(`identity:${family}`, async () => {
    const { deps, clusterId, issuer } = args;
    const observed = await observeIdentity({
      gateway: deps.identities,
      shards: deps.shards,
      clusterId,
      desired,
      issuer,
      known: args.previous?.identities.find((i) => i.key === desired.key && !i.problem),
    });
    const plan = planIdentity({ clusterId, desired, observed, issuer });
    const identity: ReportedIdentity = {
      key: desired.key,
      resourceId: idOf(observed.ref),
      name: observed.ref.name,
      clientId: observed.identity?.clientId,
      principalId: observed.identity?.principalId,
      tenantId: observed.identity?.tenantId,
      shard: observed.shard,
      serviceAccounts: plan.serviceAccounts,
      problem: plan.problem,
    };
    const known = args.previous?.identities.find((i) => i.key === desired.key && !i.problem);
    const roles = { deps, desired, identity, fresh: observed.identity === undefined, known };
    if (plan.problem || args.dryRun) {
      const actions: ActionResult[] = plan.steps.map((s) => ({
        kind: s.kind,
        target: s.target,
        reason: s.reason,
        outcome: "planned",
      }));
      if (!plan.problem)
        actions.push(...(await reconcileRoleAssignments({ ...roles, dryRun: true })).actions);
      return { identity, actions, error: undefined };
    }

    const applied = await applyIdentitySteps({
      steps: plan.steps,
      gateway: deps.identities,
      retry: deps.writeRetry,
      logger: deps.logger,
    });
    if (applied.identity) Object.assign(identity, pickIds(applied.identity));
    if (applied.error)
      identity.serviceAccounts = identity.serviceAccounts.map((sa) => ({
        ...sa,
        credential: "missing" as const,
      }));
    else if (observed.shard !== undefined)
      await deps.shards.setShard(clusterId, desired.key, observed.shard);
    if (applied.error) return { identity, actions: applied.results, error: applied.error };

    const granted = await reconcileRoleAssignments({ ...roles, dryRun: false });
    return { identity, actions: [...applied.results, ...granted.actions], error: granted.error };
  });
}

function pickIds(state: { clientId?: string; principalId?: string; tenantId?: string }) {
  return { clientId: state.clientId, principalId: state.principalId, tenantId: state.tenantId };
}

/** Report entries for identities the policy refused to render (no resource behind them). */
export function reportProblems(problems: IdentityProblem[]): ReportedIdentity[] {
  return problems.map((p) => ({
    key: p.identityKey,
    resourceId: "",
    name: "",
    serviceAccounts: [],
    problem: { code: p.code, message: p.message },
  }));
}
