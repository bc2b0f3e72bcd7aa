/**
 * What the cluster admin must still do on the cluster itself once the credentials exist: make
 * the API server issue tokens with the issuer the credentials name, and label the pods. The
 * exact command depends on the distribution.
 * @see https://learn.microsoft.com/azure/azure-arc/kubernetes/workload-identity
 */
export function clusterNextSteps(input: {
  distribution?: string;
  kind?: string;
  issuer: string;
  selfHosted: boolean;
}): string[] {
  const pods = `Apply the ServiceAccount manifests and label the pods azure.workload.identity/use: "true".`;
  if (input.kind?.toLowerCase() === "provisionedcluster" || input.selfHosted) return [pods];
  return [apiServerStep(input.distribution ?? "", input.issuer), pods];
}

function apiServerStep(distribution: string, issuer: string): string {
  switch (distribution.toLowerCase()) {
    case "k3s":
      return `Set the API server's service-account-issuer to ${issuer}: add "service-account-issuer=${issuer}" and "service-account-max-token-expiration=24h" under kube-apiserver-arg in /etc/rancher/k3s/config.yaml, then run systemctl restart k3s.`;
    case "openshift":
      return `Set the cluster's service account issuer to ${issuer}: oc patch authentication.config.openshift.io cluster --type=merge -p '{"spec":{"serviceAccountIssuer":"${issuer}"}}'`;
    default:
      return `Set the API server flag --service-account-issuer=${issuer} (keep the current issuer as a second --service-account-issuer while tokens roll over) and restart the API server.`;
  }
}
