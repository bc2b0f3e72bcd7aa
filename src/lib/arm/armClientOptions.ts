import { Agent } from "node:https";

import type { PipelinePolicy } from "@azure/core-rest-pipeline";

/** How the project's ARM clients reach Resource Manager. */
export interface ArmConnection {
  /** `https://management.azure.com`, a sovereign cloud's endpoint, or the emulator's URL. */
  endpoint: string;
  /**
   * PEM of a CA to trust for this endpoint only (the emulator's self-signed certificate).
   * Absent for Azure: the system's trust store applies.
   */
  caPem?: string;
  /** SDK pipeline retries for 429/5xx (honouring Retry-After). @default 3 */
  maxRetries?: number;
  /** Base delay of the SDK's exponential retry; tests use a few ms. @default 800 */
  retryDelayMs?: number;
  /** Ceiling of one SDK retry delay. @default 60000 */
  maxRetryDelayMs?: number;
}

/** The options every ARM client of ours is built with (endpoint, retries, TLS trust). */
export function buildArmClientOptions(connection: ArmConnection): {
  endpoint: string;
  retryOptions: { maxRetries: number; retryDelayInMs: number; maxRetryDelayInMs: number };
  additionalPolicies: { policy: PipelinePolicy; position: "perCall" }[];
  userAgentOptions: { userAgentPrefix: string };
} {
  const policies = connection.caPem
    ? [{ policy: trustCaPolicy(connection.caPem), position: "perCall" as const }]
    : [];
  return {
    endpoint: connection.endpoint.replace(/\/+$/, ""),
    retryOptions: {
      maxRetries: connection.maxRetries ?? 3,
      retryDelayInMs: connection.retryDelayMs ?? 800,
      maxRetryDelayInMs: connection.maxRetryDelayMs ?? 60_000,
    },
    additionalPolicies: policies,
    userAgentOptions: { userAgentPrefix: "arc-wi-onboarding/0.1" },
  };
}

/** Trusts `caPem` for requests of this pipeline only (never process-wide). */
export function trustCaPolicy(caPem: string): PipelinePolicy {
  const agent = new Agent({ ca: caPem, keepAlive: true });
  return {
    name: "arcWiTrustEmulatorCa",
    sendRequest: (request, next) => {
      request.agent = agent;
      return next(request);
    },
  };
}
