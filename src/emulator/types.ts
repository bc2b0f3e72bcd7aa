/** The emulator's public types: how to start it, what a running one offers, its request log. */
import type { DeepPartial, EmulatorConfig, ProfileName } from "./config.js";
import type { EmulatorSeed } from "./seedTypes.js";

export type {
  BucketConfig,
  DeepPartial,
  EmulatorConfig,
  FaultKind,
  MsiScopeLimits,
  ProfileName,
} from "./config.js";
export type { EmulatorSeed, SeedCluster, SeedCredential, SeedIdentity } from "./seedTypes.js";

export interface StartEmulatorOptions {
  /** 0 or absent: a free port (or, with `statePath`, the port it had last time when free). */
  port?: number;
  /** Default "realistic". "test": no delays, throttling, faults or consistency window. "demo": delays of seconds. */
  profile?: ProfileName;
  /** Laid over the profile. */
  config?: DeepPartial<EmulatorConfig>;
  /** A seed object, or the path of a seed file (the shape of examples/fleet.json). Applied only when no state file exists yet. */
  seed?: EmulatorSeed | string;
  /** Keeps clusters, identities, credentials, issuers, the port and the certificate across restarts. */
  statePath?: string;
  tenantId?: string;
  /** Where the CA certificate is written; default a file in the OS temp folder. */
  caPath?: string;
  /** Reuse a certificate instead of generating one (tests that start many emulators). */
  tls?: { cert: string; key: string };
  /** Receives the start-up notice and unexpected failures; default stderr. */
  log?: (line: string) => void;
}

export interface RunningEmulator {
  /** "https://127.0.0.1:<port>" */
  url: string;
  /** PEM of the self-signed certificate: trust it with `new https.Agent({ ca })`. */
  caPem: string;
  /** The file `caPem` was written to. */
  caPath: string;
  tenantId: string;
  /** Every request so far, in the order their responses ended. */
  requestLog: readonly RequestLogEntry[];
  clearRequestLog(): void;
  /** Changes behaviours at run time (laid over the current configuration). */
  configure(patch: DeepPartial<EmulatorConfig>): void;
  /** Moves the emulator's clock forward; delays, windows and bucket refills are measured on it. */
  advanceClock(ms: number): void;
  /** Adds (or replaces) seeded clusters and identities. */
  seed(seed: EmulatorSeed): void;
  stop(): Promise<void>;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  apiVersion?: string;
  /** The status sent; 0 when the connection was reset by an injected fault. */
  status: number;
  /** Emulator-clock ms (real time × time scale + advanced offset), so overlaps are checkable. */
  start: number;
  end: number;
  kind: "read" | "write" | "delete";
  /** e.g. "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials". */
  resourceType: string;
  /** Also sent as `x-ms-request-id`. */
  requestId: string;
  /** Set when the response was an injected fault. */
  fault?: string;
}
