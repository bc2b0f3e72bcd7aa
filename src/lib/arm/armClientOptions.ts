import { Agent } from "node:https";

import type { PipelinePolicy } from "@azure/core-rest-pipeline";

import { pacingPolicy, type RequestPacer } from "./requestPacer.js";

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
  /** Paces every attempt under Azure's budgets; share one among all clients of an engine. */
  pacer?: RequestPacer;
}

/** The options every ARM client of ours is built with (endpoint, retries, TLS trust). */
export function buildArmClientOptions(connection: ArmConnection): {
  endpoint: string;
  retryOptions: { maxRetries: number; retryDelayInMs: number; maxRetryDelayInMs: number };
  additionalPolicies: { policy: PipelinePolicy; position: "perCall" | "perRetry" }[];
  userAgentOptions: { userAgentPrefix: string };
} {
  const cap = capRetryAfterPolicy(connection.maxRetryDelayMs ?? 60_000);
  const policies: { policy: PipelinePolicy; position: "perCall" | "perRetry" }[] = [
    { policy: cap, position: "perRetry" },
  ];
  if (connection.pacer)
    policies.push({ policy: pacingPolicy(connection.pacer), position: "perRetry" });
  if (connection.caPem)
    policies.push({ policy: trustCaPolicy(connection.caPem), position: "perCall" });
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

/** Header keeping the service's own Retry-After (ms) when `capRetryAfterPolicy` shortened it. */
export const ORIGINAL_RETRY_AFTER_HEADER = "x-arc-wi-original-retry-after-ms";

/**
 * Keeps the SDK's retry loop from sleeping longer than `maxMs` on one Retry-After: a longer one
 * is shortened for the pipeline (which then spends its retries and fails) and kept in
 * `x-arc-wi-original-retry-after-ms`, so the engine requeues the cluster after the real delay
 * instead of holding a queue message for minutes.
 */
export function capRetryAfterPolicy(maxMs: number): PipelinePolicy {
  return {
    name: "arcWiCapRetryAfter",
    sendRequest: async (request, next) => {
      const response = await next(request);
      if (response.status !== 429 && response.status !== 503) return response;

      const ms =
        response.headers.get("retry-after-ms") ?? response.headers.get("x-ms-retry-after-ms");
      const seconds = response.headers.get("retry-after");
      const wanted =
        ms !== undefined ? Number(ms) : seconds !== undefined ? Number(seconds) * 1000 : NaN;
      if (!Number.isFinite(wanted) || wanted <= maxMs) return response;

      response.headers.set(ORIGINAL_RETRY_AFTER_HEADER, String(wanted));
      response.headers.delete("retry-after");
      response.headers.delete("x-ms-retry-after-ms");
      response.headers.set("retry-after-ms", String(maxMs));
      return response;
    },
  };
}
