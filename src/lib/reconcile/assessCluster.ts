import type { ConnectedClusterJson } from "../arm/connectedClusterJson.js";

/** Distributions that run in a public cloud and must bring their own issuer (FACTS.md §2). */
export const PUBLIC_CLOUD_DISTRIBUTIONS = ["aks", "eks", "gke"];

/** What the cluster resource allows us to do next. */
export type ClusterAssessment =
  | { kind: "waitForCluster"; reason: string }
  | { kind: "actionRequired"; code: string; reason: string; nextStep: string }
  | { kind: "enableFeatures" }
  | { kind: "waitForIssuer" }
  | { kind: "federate"; armIssuer: string; agentsConverged: boolean; agentProblem?: string };

/**
 * Decides, from the cluster as ARM shows it, whether to wait, enable the OIDC issuer and
 * workload identity, ask a human, or federate. Pure.
 */
export function assessCluster(
  cluster: ConnectedClusterJson,
  ref: { name: string; resourceGroup: string },
): ClusterAssessment {
  const p = cluster.properties ?? {};
  const connectivity = p.connectivityStatus ?? "Unknown";
  const provisioning = p.provisioningState ?? "Unknown";
  const oidcOn = p.oidcIssuerProfile?.enabled === true;
  const wiOn = p.securityProfile?.workloadIdentity?.enabled === true;
  const issuerUrl = p.oidcIssuerProfile?.selfHostedIssuerUrl ?? p.oidcIssuerProfile?.issuerUrl;
  const usable = oidcOn && wiOn && (issuerUrl ?? "") !== "";
  // Failed and Canceled are final: waiting would never end. A cluster whose last operation
  // failed but already has what we need is federated; otherwise a human looks at the failure.
  const ended = provisioning === "Failed" || provisioning === "Canceled";
  const aksArc = cluster.kind?.toLowerCase() === "provisionedcluster";
  if (connectivity === "Connected" && ended && !usable && !aksArc) {
    return {
      kind: "actionRequired",
      code: "ClusterOperationFailed",
      reason: `the cluster's last operation ended ${provisioning}, with the OIDC issuer or workload identity not on`,
      nextStep: `az connectedk8s update --name ${ref.name} --resource-group ${ref.resourceGroup} --enable-oidc-issuer --enable-workload-identity (shows why it fails), then re-sync the cluster`,
    };
  }
  if (connectivity !== "Connected" || (provisioning !== "Succeeded" && !ended)) {
    return {
      kind: "waitForCluster",
      reason: `connectivityStatus ${connectivity}, provisioningState ${provisioning}`,
    };
  }

  if (aksArc) return assessAksArc(p, ref, oidcOn);

  const distribution = (p.distribution ?? "").toLowerCase();
  const selfHosted = p.oidcIssuerProfile?.selfHostedIssuerUrl;
  if (PUBLIC_CLOUD_DISTRIBUTIONS.includes(distribution) && !selfHosted) {
    return {
      kind: "actionRequired",
      code: "SelfHostedIssuerRequired",
      reason: `${distribution.toUpperCase()} clusters need oidcIssuerProfile.selfHostedIssuerUrl (their own OIDC issuer) before workload identity can be federated`,
      nextStep: `az connectedk8s update --name ${ref.name} --resource-group ${ref.resourceGroup} --enable-oidc-issuer --self-hosted-issuer <the cluster's OIDC issuer URL>`,
    };
  }
  if (!oidcOn || !wiOn) return { kind: "enableFeatures" };

  const issuer = selfHosted ?? p.oidcIssuerProfile?.issuerUrl;
  if (!issuer) return { kind: "waitForIssuer" };
  return {
    kind: "federate",
    armIssuer: issuer,
    ...agentState(p.arcAgentProfile, selfHosted !== undefined),
  };
}

function assessAksArc(
  p: NonNullable<ConnectedClusterJson["properties"]>,
  ref: { name: string; resourceGroup: string },
  oidcOn: boolean,
): ClusterAssessment {
  const issuer = p.oidcIssuerProfile?.issuerUrl;
  if (oidcOn && issuer) return { kind: "federate", armIssuer: issuer, agentsConverged: true };
  return {
    kind: "actionRequired",
    code: "AksArcIssuerNotEnabled",
    reason:
      "AKS Arc clusters (kind ProvisionedCluster) are changed through aksarc, never by a connectedCluster PUT",
    nextStep: `az aksarc update --name ${ref.name} --resource-group ${ref.resourceGroup} --enable-oidc-issuer --enable-workload-identity`,
  };
}

function agentState(
  profile: NonNullable<ConnectedClusterJson["properties"]>["arcAgentProfile"],
  selfHosted: boolean,
): { agentsConverged: boolean; agentProblem?: string } {
  // With a self-hosted issuer the Arc workload identity extension is not installed (FACTS.md §2).
  const state = profile?.agentState;
  if (selfHosted || state === undefined || state === "Succeeded") return { agentsConverged: true };
  if (state === "Failed") {
    const errors = (profile?.agentErrors ?? []).map((e) => e.message).filter(Boolean);
    return { agentsConverged: false, agentProblem: errors.join("; ") || "agentState Failed" };
  }
  return { agentsConverged: false };
}
