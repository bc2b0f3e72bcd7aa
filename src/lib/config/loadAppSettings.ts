import { CLUSTER_API_VERSIONS } from "../arm/connectedClusterJson.js";
import { parseAllowedScopes } from "./allowedScopes.js";
import { APP_SETTINGS } from "./appSettings.js";
import { AppSettingsError } from "./appSettingsError.js";

/** The app settings, validated and typed. */
export interface AppSettings {
  /** `AzureWebJobsStorage` (connection string), or its identity-based account name. */
  storage: { connectionString: string } | { accountName: string };
  policy: { path?: string; inline?: string };
  allowedScopes: string[];
  armEndpoint: string;
  authorityHost: string;
  clusterApiVersion: string;
  appPrincipalId?: string;
  driftSchedule: string;
  waitDeadlineMs: number;
  eventGridTopicEndpoint?: string;
}

type Env = Record<string, string | undefined>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NCRONTAB = /^\S+( \S+){5}$/;

/**
 * Reads and validates every app setting of {@link APP_SETTINGS}.
 * @throws AppSettingsError naming each missing or malformed setting (all at once).
 */
export function loadAppSettings(env: Env = process.env): AppSettings {
  const problems: string[] = [];
  const value = (name: string): string | undefined => readValue(env, name);

  const storage = readStorage(env, problems);
  const policy = readPolicy(env, problems);
  const allowedScopes = readScopes(value("ARC_WI_ALLOWED_SCOPES"), problems);
  const armEndpoint = readHttpsUrl(env, "ARC_WI_ARM_ENDPOINT", problems)!;
  const authorityHost = readHttpsUrl(env, "ARC_WI_AUTHORITY_HOST", problems)!;
  const clusterApiVersion = readClusterApiVersion(env, problems);
  const appPrincipalId = check(env, "ARC_WI_APP_PRINCIPAL_ID", GUID, problems);
  const driftSchedule = check(env, "ARC_WI_DRIFT_SCHEDULE", NCRONTAB, problems)!;
  const waitDeadlineMs = readMinutes(env, "ARC_WI_WAIT_DEADLINE_MINUTES", problems);
  const eventGridTopicEndpoint = readHttpsUrl(env, "ARC_WI_EVENTGRID_TOPIC_ENDPOINT", problems);
  if (problems.length > 0) throw new AppSettingsError(problems);

  return {
    storage: storage!,
    policy,
    allowedScopes,
    armEndpoint,
    authorityHost,
    clusterApiVersion,
    ...(appPrincipalId ? { appPrincipalId } : {}),
    driftSchedule,
    waitDeadlineMs,
    ...(eventGridTopicEndpoint ? { eventGridTopicEndpoint } : {}),
  };
}

/** The value of a setting, or its default; blank counts as unset. */
function readValue(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (raw) return raw;
  return APP_SETTINGS.find((s) => s.name === name)?.default;
}

function readStorage(env: Env, problems: string[]): AppSettings["storage"] | undefined {
  const connectionString = readValue(env, "AzureWebJobsStorage");
  const accountName = readValue(env, "AzureWebJobsStorage__accountName");
  if (connectionString === "UseDevelopmentStorage=true") {
    problems.push(
      "AzureWebJobsStorage: UseDevelopmentStorage=true is not supported; give Azurite's full connection string",
    );
    return undefined;
  }
  // A storage connection string is `Key=value;` pairs naming the account or its endpoints.
  if (connectionString && !/(^|;)\s*(AccountName|BlobEndpoint)=/i.test(connectionString)) {
    problems.push(
      "AzureWebJobsStorage: not a storage connection string (expected AccountName=...;AccountKey=...;... or BlobEndpoint=...)",
    );
    return undefined;
  }
  if (connectionString) return { connectionString };
  if (accountName) return { accountName };
  problems.push(
    "AzureWebJobsStorage: missing (a connection string, or AzureWebJobsStorage__accountName)",
  );
  return undefined;
}

function readPolicy(env: Env, problems: string[]): AppSettings["policy"] {
  const inline = readValue(env, "ARC_WI_POLICY");
  const path = readValue(env, "ARC_WI_POLICY_PATH");
  if (inline && path) problems.push("ARC_WI_POLICY / ARC_WI_POLICY_PATH: set one, not both");
  if (!inline && !path) problems.push("ARC_WI_POLICY / ARC_WI_POLICY_PATH: missing (set one)");
  return inline ? { inline } : path ? { path } : {};
}

function readScopes(value: string | undefined, problems: string[]): string[] {
  if (!value) {
    problems.push(
      "ARC_WI_ALLOWED_SCOPES: missing (comma-separated /subscriptions/<id>[/resourceGroups/<rg>])",
    );
    return [];
  }
  const { scopes, invalid } = parseAllowedScopes(value);
  for (const entry of invalid) {
    problems.push(
      `ARC_WI_ALLOWED_SCOPES: "${entry}" is not /subscriptions/<id> or /subscriptions/<id>/resourceGroups/<rg>`,
    );
  }
  if (scopes.length === 0 && invalid.length === 0) problems.push("ARC_WI_ALLOWED_SCOPES: empty");
  return scopes;
}

function readHttpsUrl(env: Env, name: string, problems: string[]): string | undefined {
  const value = readValue(env, name);
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || new URL(value).protocol !== "https:") {
    problems.push(`${name}: "${value}" is not an https URL`);
  }
  return value.replace(/\/+$/, "");
}

function readClusterApiVersion(env: Env, problems: string[]): string {
  const name = "ARC_WI_CLUSTER_API_VERSION";
  const value = readValue(env, name) ?? CLUSTER_API_VERSIONS[0]!;
  if (!CLUSTER_API_VERSIONS.includes(value))
    problems.push(
      `${name}: "${value}" is not an api-version whose connectedClusters carry the OIDC issuer and workload identity (one of ${CLUSTER_API_VERSIONS.join(", ")})`,
    );
  return value;
}

function check(env: Env, name: string, pattern: RegExp, problems: string[]): string | undefined {
  const value = readValue(env, name);
  if (value !== undefined && !pattern.test(value)) {
    problems.push(`${name}: "${value}" is malformed (expected ${describe(name)})`);
  }
  return value;
}

function readMinutes(env: Env, name: string, problems: string[]): number {
  const value = readValue(env, name) ?? "";
  const minutes = Number(value);
  if (!/^\d+$/.test(value) || minutes < 1) {
    problems.push(`${name}: "${value}" is not a positive whole number of minutes`);
  }
  return minutes * 60_000;
}

function describe(name: string): string {
  if (name === "ARC_WI_APP_PRINCIPAL_ID") return "an object id (GUID)";
  return "six NCRONTAB fields, such as 0 0 */6 * * *";
}
