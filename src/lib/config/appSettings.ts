/**
 * Every app setting the code reads, in one list. The Function app's configuration is validated
 * against it at start, `local.settings.json.example` lists it, and infra/ sets each one (a test
 * compares them).
 */
export interface AppSettingSpec {
  name: string;
  required: boolean;
  default?: string;
  description: string;
}

/** The app settings of arc-wi-onboarding. */
export const APP_SETTINGS: readonly AppSettingSpec[] = [
  {
    name: "AzureWebJobsStorage",
    required: true,
    description:
      "Storage for the Functions host, the cluster-sync queue, leases and the status table. In Azure, use the identity-based AzureWebJobsStorage__accountName form.",
  },
  {
    name: "ARC_WI_POLICY",
    required: false,
    description: "The policy, inline (YAML or JSON). One of ARC_WI_POLICY or ARC_WI_POLICY_PATH.",
  },
  {
    name: "ARC_WI_POLICY_PATH",
    required: false,
    description: "Path of the policy file (YAML or JSON), relative to the app root.",
  },
  {
    name: "ARC_WI_ALLOWED_SCOPES",
    required: true,
    description:
      "Comma-separated subscription or resource-group ids the app may reconcile (/subscriptions/<id> or /subscriptions/<id>/resourceGroups/<rg>).",
  },
  {
    name: "ARC_WI_ARM_ENDPOINT",
    required: false,
    default: "https://management.azure.com",
    description: "Resource Manager endpoint (sovereign clouds, or the local emulator).",
  },
  {
    name: "ARC_WI_AUTHORITY_HOST",
    required: false,
    default: "https://login.microsoftonline.com",
    description: "Microsoft Entra authority host (sovereign clouds).",
  },
  {
    name: "ARC_WI_CLUSTER_API_VERSION",
    required: false,
    default: "2026-05-01",
    description:
      "api-version for Microsoft.Kubernetes/connectedClusters: one whose clusters carry the OIDC issuer (2026-05-01, 2026-03-01, 2025-08-01-preview, 2024-12-01-preview, 2024-07-15-preview, 2024-06-01-preview).",
  },
  {
    name: "ARC_WI_APP_PRINCIPAL_ID",
    required: false,
    description: "Object id of the app's own identity; events it caused are dropped cheaply.",
  },
  {
    name: "ARC_WI_DRIFT_SCHEDULE",
    required: false,
    default: "0 0 */6 * * *",
    description: "NCRONTAB schedule of the drift sweep (default every 6 hours).",
  },
  {
    name: "ARC_WI_WAIT_DEADLINE_MINUTES",
    required: false,
    default: "120",
    description: "How long a cluster may wait for agents or its issuer before it is marked Failed.",
  },
  {
    name: "ARC_WI_EVENTGRID_TOPIC_ENDPOINT",
    required: false,
    description: "Optional Event Grid topic for ClusterConverged / ClusterFailed events.",
  },
  {
    name: "APPLICATIONINSIGHTS_CONNECTION_STRING",
    required: false,
    description: "Application Insights connection string for logs and metrics.",
  },
];
