import type { Logger } from "../../lib/log/logger.js";
import { enqueueFleet } from "../../lib/queue/enqueueFleet.js";
import { getAppRuntime } from "../runtime/appRuntime.js";

/**
 * At start: builds the runtime (so bad settings or a bad policy are reported at once, each
 * problem named), then, when this policy version has not been applied yet, enqueues a paced
 * re-sync of the fleet — exactly one instance wins the claim.
 * @returns how many clusters were enqueued for the policy change (0 when none).
 */
export async function handleAppStart(logger: Logger): Promise<number> {
  let runtime;
  try {
    runtime = await getAppRuntime();
  } catch (error) {
    const code = (error as { code?: string }).code ?? "StartupFailed";
    logger.error("app start failed: settings or policy invalid", {
      code,
      problems: (error as Error).message,
    });
    return 0;
  }

  const version = runtime.reconciler.policyVersion;
  if (!(await runtime.status.claimPolicyVersion(version))) return 0;

  const enqueued = await enqueueFleet({
    reconciler: runtime.reconciler,
    queue: runtime.queue,
    scopes: runtime.allowedScopes,
    reason: "policy-change",
    eventId: `policy-${version}`,
    perSecond: runtime.enqueuePerSecond,
  });
  logger.info("policy version changed: fleet re-sync enqueued", {
    policyVersion: version,
    enqueued,
  });
  return enqueued;
}
