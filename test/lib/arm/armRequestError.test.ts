import { AuthenticationError, CredentialUnavailableError } from "@azure/identity";
import { describe, expect, it } from "vitest";

import { toArmRequestError } from "../../../src/lib/arm/armRequestError.js";
import { ReportBuilder } from "../../../src/lib/reconcile/reportBuilder.js";

const DELAYS = { throttledMs: 1000, retryFailedMs: 1000 };

describe("toArmRequestError without an HTTP answer", () => {
  it("names a failed sign-in AuthenticationFailed, and the report says how to sign in", () => {
    const error = toArmRequestError(
      new CredentialUnavailableError("ChainedTokenCredential authentication failed."),
      "read connectedCluster c1",
    );
    expect(error.code).toBe("AuthenticationFailed");

    const builder = new ReportBuilder({ clusterId: "/x", reason: "cli" }, "c1", "v1");
    const { report } = builder.failFromArm(error, DELAYS);
    expect(report.status).toBe("ActionRequired");
    expect(report.nextSteps[0]).toMatch(/az login/);
  });

  it("keeps a token service's refusal apart from a network failure", () => {
    const refused = new AuthenticationError(400, {
      error: "invalid_client",
      error_description: "bad secret",
    });
    expect(toArmRequestError(refused, "x").code).toBe("AuthenticationFailed");
    expect(toArmRequestError(new Error("connect ECONNREFUSED"), "x").code).toBe("ArmUnreachable");
  });
});
