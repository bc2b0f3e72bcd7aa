import { describe, expect, it } from "vitest";

import type { ConnectedClusterJson } from "../../../src/lib/arm/connectedClusterJson.js";
import { assessCluster } from "../../../src/lib/reconcile/assessCluster.js";

const REF = { name: "c1", resourceGroup: "rg" };
const ISSUER = "https://eastus.oic.prod-arc.azure.com/t/u/";

function cluster(
  props: NonNullable<ConnectedClusterJson["properties"]>,
  kind?: string,
): ConnectedClusterJson {
  return {
    kind,
    properties: {
      connectivityStatus: "Connected",
      provisioningState: "Succeeded",
      distribution: "k3s",
      ...props,
    },
  };
}
const on = {
  oidcIssuerProfile: { enabled: true, issuerUrl: ISSUER },
  securityProfile: { workloadIdentity: { enabled: true } },
};

describe("assessCluster", () => {
  it.each([
    ["still connecting", cluster({ connectivityStatus: "Connecting" }), "waitForCluster"],
    ["provisioning", cluster({ provisioningState: "Updating" }), "waitForCluster"],
    ["last operation Failed, OIDC off", cluster({ provisioningState: "Failed" }), "actionRequired"],
    [
      "last operation Canceled, OIDC off",
      cluster({ provisioningState: "Canceled" }),
      "actionRequired",
    ],
    ["last operation Failed, all on", cluster({ ...on, provisioningState: "Failed" }), "federate"],
    [
      "last operation Failed while disconnected",
      cluster({ provisioningState: "Failed", connectivityStatus: "Offline" }),
      "waitForCluster",
    ],
    ["OIDC off", cluster({}), "enableFeatures"],
    [
      "workload identity off",
      cluster({ oidcIssuerProfile: { enabled: true, issuerUrl: ISSUER } }),
      "enableFeatures",
    ],
    [
      "both on, no issuer yet",
      cluster({ ...on, oidcIssuerProfile: { enabled: true } }),
      "waitForIssuer",
    ],
    ["both on with an issuer", cluster(on), "federate"],
    ["EKS without a self-hosted issuer", cluster({ distribution: "eks" }), "actionRequired"],
    ["AKS Arc without an issuer", cluster({}, "ProvisionedCluster"), "actionRequired"],
    ["AKS Arc with an issuer", cluster(on, "ProvisionedCluster"), "federate"],
  ])("says %s → %s", (_case, c, expected) => {
    expect(assessCluster(c, REF).kind).toBe(expected);
  });

  it("hands a cluster whose last operation failed to a human instead of waiting forever", () => {
    const result = assessCluster(cluster({ provisioningState: "Failed" }), REF);
    expect(result).toMatchObject({ kind: "actionRequired", code: "ClusterOperationFailed" });
    expect(result.kind === "actionRequired" && result.nextStep).toContain(
      "az connectedk8s update --name c1 --resource-group rg",
    );
  });

  it("names the aksarc command, not connectedk8s, for an AKS Arc cluster whose operation failed", () => {
    const result = assessCluster(
      cluster({ provisioningState: "Failed" }, "ProvisionedCluster"),
      REF,
    );
    expect(result).toMatchObject({ kind: "actionRequired", code: "AksArcIssuerNotEnabled" });
  });

  it("never asks to re-PUT an AKS Arc cluster, and names the aksarc command", () => {
    const result = assessCluster(cluster({}, "provisionedcluster"), REF);
    expect(result).toMatchObject({ kind: "actionRequired", code: "AksArcIssuerNotEnabled" });
    expect(result.kind === "actionRequired" && result.nextStep).toContain(
      "az aksarc update --name c1 --resource-group rg",
    );
  });

  it("federates an EKS cluster with its self-hosted issuer", () => {
    const eks = cluster({
      distribution: "eks",
      ...on,
      oidcIssuerProfile: { enabled: true, selfHostedIssuerUrl: "https://oidc.eks/x" },
    });
    expect(assessCluster(eks, REF)).toEqual({
      kind: "federate",
      armIssuer: "https://oidc.eks/x",
      agentsConverged: true,
    });
  });

  it("waits for the agents, and reports their errors when they fail", () => {
    const updating = cluster({ ...on, arcAgentProfile: { agentState: "Updating" } });
    expect(assessCluster(updating, REF)).toMatchObject({
      kind: "federate",
      agentsConverged: false,
    });
    const failed = cluster({
      ...on,
      arcAgentProfile: { agentState: "Failed", agentErrors: [{ message: "webhook crashloop" }] },
    });
    expect(assessCluster(failed, REF)).toMatchObject({ agentProblem: "webhook crashloop" });
  });
});
