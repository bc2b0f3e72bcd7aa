/**
 * What the chaos run starts from: the bench's fleet policy plus one shared identity (so leases
 * and shards across worker processes are exercised), a foreign identity we must never touch,
 * and the environment of the worker processes (the app settings plus the local runner's).
 */
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import type { EmulatorSeed } from "../../src/emulator/index.js";
import type { ClusterFacts } from "../../src/lib/policy/index.js";
import { LOCAL_ENV } from "../../src/local/localHostFromEnv.js";
import {
  BENCH_POLICY_TEXT,
  BENCH_RESOURCE_GROUP,
  BENCH_SUBSCRIPTION,
  fleetClusterId,
  fleetClusterName,
  fleetSeed,
  scaledPacing,
} from "../benchFleet.js";

export const IDENTITY_GROUP = {
  subscriptionId: BENCH_SUBSCRIPTION,
  resourceGroup: "rg-fleet-identities",
};

export const CHAOS_POLICY_TEXT = BENCH_POLICY_TEXT.replace(
  "rules:",
  `  shared:
    identities:
      - id: monitoring
        scope: shared
        name: id-fleet-monitoring
        resourceGroup: rg-fleet-identities
        serviceAccounts: [monitoring/agent]
rules:`,
).replace("profiles: [edge]", "profiles: [edge, shared]");

const FOREIGN_NAME = "id-someone-else";

/** Lower-cased id of the identity that is not ours. */
export const FOREIGN_IDENTITY_ID = `/subscriptions/${BENCH_SUBSCRIPTION}/resourcegroups/rg-fleet-identities/providers/microsoft.managedidentity/userassignedidentities/${FOREIGN_NAME}`;

/** The fleet, plus a foreign identity with a credential, in the group our identities go to. */
export function chaosSeed(clusters: number): EmulatorSeed {
  return {
    ...fleetSeed(clusters),
    identities: [
      {
        subscriptionId: BENCH_SUBSCRIPTION,
        resourceGroup: IDENTITY_GROUP.resourceGroup,
        name: FOREIGN_NAME,
        location: "eastus",
        tags: { owner: "another-team" },
        federatedIdentityCredentials: [
          {
            name: "their-credential",
            issuer: "https://issuer.example.com/a",
            subject: "system:serviceaccount:x:y",
          },
        ],
      },
    ],
  };
}

/** The facts the policy evaluates for the i-th cluster (as seeded). */
export function chaosFacts(i: number): ClusterFacts {
  return {
    id: fleetClusterId(i),
    subscriptionId: BENCH_SUBSCRIPTION,
    resourceGroup: BENCH_RESOURCE_GROUP,
    name: fleetClusterName(i),
    location: "eastus",
    tags: { onboard: "true" },
    distribution: "k3s",
  };
}

/** The worker processes' environment: app settings, emulator CA, engine timings ÷ time scale. */
export function workerEnv(args: {
  storage: string;
  url: string;
  caPem: string;
  timeScale: number;
}): NodeJS.ProcessEnv {
  const caPath = path.join(tmpdir(), `arc-wi-chaos-ca-${process.pid}.pem`);
  writeFileSync(caPath, args.caPem);
  const scale = (ms: number) => Math.max(1, Math.round(ms / args.timeScale));
  const engine = {
    arm: {
      pollIntervalMs: scale(5000),
      maxPollIntervalMs: scale(30_000),
      retryDelayMs: scale(800),
      maxRetryDelayMs: scale(60_000),
      maxFollowMs: scale(10_000),
    },
    delays: {
      waitForClusterMs: scale(60_000),
      waitForIssuerMs: scale(30_000),
      confirmGoneMs: scale(120_000),
      retryFailedMs: scale(60_000),
      throttledMs: scale(30_000),
    },
    writeRetry: { attempts: 6, delayMs: scale(5000) },
    pacing: scaledPacing(args.timeScale),
  };
  return {
    ...process.env,
    AzureWebJobsStorage: args.storage,
    ARC_WI_POLICY: CHAOS_POLICY_TEXT,
    ARC_WI_ALLOWED_SCOPES: `/subscriptions/${BENCH_SUBSCRIPTION}`,
    ARC_WI_ARM_ENDPOINT: args.url,
    [LOCAL_ENV.caPath]: caPath,
    [LOCAL_ENV.engineOptions]: JSON.stringify(engine),
    [LOCAL_ENV.busyDelayMs]: "500",
  };
}
