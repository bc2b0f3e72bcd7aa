import { randomUUID } from "node:crypto";

import type { ArmRequestError } from "../arm/armRequestError.js";
import { renderManifests } from "../report/renderManifests.js";
import type {
  ClusterReport,
  ClusterStatus,
  ReconcileRequest,
  ReconcileResult,
} from "./contract.js";

/**
 * Role assignment refusals only a human can fix (ROLE-ASSIGNMENTS.md §3.4, §3.5): never retried.
 * `RoleAssignmentNotAllowed` (ARM's 403 on a role assignment) means the delegation (its
 * condition or its scopes) does not cover what the policy asks.
 */
const HUMAN_FIXES: Record<string, string> = {
  AuthenticationFailed:
    "No Azure credential worked: sign in with `az login` (or set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET); in the Function App, check its managed identity. For the local emulator, pass --emulator and --ca.",
  RoleAssignmentNotAllowed:
    "The app may not write this role assignment: keep the policy's defaults.roleAssignments inside the deployment's allowedRoleDefinitionIds and roleTargetResourceGroups (docs/deploy.md).",
  RoleAssignmentLimitExceeded:
    "The subscription holds the most role assignments Azure allows (4000): assign at resource-group scope or remove unused assignments.",
};

/** Collects what one reconcile learns, and turns it into a `ClusterReport`. */
export class ReportBuilder {
  readonly report: ClusterReport;

  constructor(request: ReconcileRequest, clusterName: string, policyVersion: string) {
    this.report = {
      clusterId: request.clusterId,
      clusterName,
      status: "Failed",
      identities: [],
      actions: [],
      nextSteps: [],
      manifests: "",
      policyVersion,
      reconcileId: randomUUID(),
      dryRun: request.dryRun === true,
      at: new Date().toISOString(),
    };
  }

  /** Ends the reconcile with `status`, optionally asking to be looked at again. */
  finish(
    status: ClusterStatus,
    extra: { requeueAfterMs?: number; notFoundCount?: number } = {},
  ): ReconcileResult {
    this.report.status = status;
    this.report.manifests = renderManifests(this.report.identities);
    return { report: this.report, ...extra };
  }

  /** Ends with a stable error code and message (`Failed` or `ActionRequired`). */
  fail(
    status: "Failed" | "ActionRequired",
    code: string,
    message: string,
    requeueAfterMs?: number,
  ): ReconcileResult {
    this.report.error = { code, message };
    return this.finish(status, { requeueAfterMs });
  }

  /** Ends after an ARM error: throttling requeues, retryable failures requeue, the rest fail. */
  failFromArm(
    error: ArmRequestError,
    delays: { throttledMs: number; retryFailedMs: number },
  ): ReconcileResult {
    if (error.statusCode === 429) {
      this.report.error = { code: error.code, message: error.message };
      return this.finish("Throttled", { requeueAfterMs: error.retryAfterMs ?? delays.throttledMs });
    }
    if (error.statusCode === 405) {
      const message = `${error.message}. This region cannot hold federated identity credentials: set defaults.fallbackRegion in the policy`;
      return this.fail("ActionRequired", "FederatedCredentialsUnsupportedInRegion", message);
    }
    const fix = HUMAN_FIXES[error.code];
    if (fix !== undefined) {
      this.report.nextSteps.unshift(fix);
      return this.fail("ActionRequired", error.code, error.message);
    }
    const requeue = error.retryable ? delays.retryFailedMs : undefined;
    return this.fail("Failed", error.code, error.message, requeue);
  }
}
