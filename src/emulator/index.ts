/**
 * A local emulator of Azure Resource Manager for exactly what arc-wi-onboarding uses:
 * Microsoft.Kubernetes/connectedClusters (2026-05-01, 2025-08-01-preview, and 2021-10-01 for the
 * typed SDK), Microsoft.ManagedIdentity/userAssignedIdentities and their
 * federatedIdentityCredentials (2024-11-30), Microsoft.Authorization/roleAssignments
 * (2022-04-01, roleAssignments.ts), and OIDC discovery for the issuers it hands out.
 * It is NOT Azure: it accepts any bearer token and keeps everything in memory (or in a state file).
 *
 * What it does NOT model:
 * - Authentication and authorisation: any `Authorization: Bearer <anything>` is accepted; no
 *   RBAC: role assignments are stored and served, never enforced (nor their conditions), and
 *   any GUID counts as a role definition; no
 *   Entra ID token exchange (the issuers publish a JWKS but nothing is ever signed with it).
 * - Subscriptions and resource groups as resources: every subscription id and resource group
 *   exists; no ResourceGroupNotFound, no resource locks, no Azure Policy, no quotas besides the
 *   20 credentials per identity.
 * - Other connectedClusters operations: listClusterUserCredential, the Microsoft.Kubernetes
 *   operations list, extensions, configurations, the Tags API; no Event Grid events are raised.
 * - Other identity operations: system-assigned identities (`.../identities/default`),
 *   revokeTokens, flexible credentials (`claimsMatchingExpression`).
 * - The cluster side: no agents, no Helm, no kube-apiserver flags; `agentState` and
 *   `connectivityStatus` only follow timers, and the issuer never issues tokens.
 * - ARM's tenant-level and global buckets and per-principal accounting: throttling is per
 *   subscription (ARM) and per tenant, subscription and resource (identity service).
 * - ETags / If-Match, async PUT on identities, regional routing, `x-ms-routing-request-id`,
 *   and what real Azure would do with read-only fields sent back beyond ignoring them.
 * - Exact codes where the public record shows only a message (see errors.ts).
 */
import { createServer, type Server } from "node:https";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EmulatorClock } from "./clock.js";
import { applyPatch, resolveConfig } from "./config.js";
import type { EmulatorContext } from "./context.js";
import { FaultInjector } from "./faults.js";
import { applySeed, readSeedFile } from "./seed.js";
import { createRequestListener } from "./server.js";
import { EmulatorStore, tryReadState, writeState, type PersistedState } from "./state.js";
import { Throttler } from "./throttling.js";
import { generateTlsMaterial, publicJwk, writeCaFile } from "./tls.js";
import type { RequestLogEntry, RunningEmulator, StartEmulatorOptions } from "./types.js";

export type * from "./types.js";
export { resolveConfig } from "./config.js";

/** The tenant the emulator reports when none is given. */
export const DEFAULT_TENANT_ID = "00000000-0000-0000-0000-00000000e1a7";

/**
 * Starts the emulator on 127.0.0.1 over HTTPS with a fresh self-signed certificate.
 * @throws when the seed or state file is invalid, or the port is taken.
 */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const persisted = options.statePath === undefined ? undefined : tryReadState(options.statePath);
  const seed = typeof options.seed === "string" ? readSeedFile(options.seed) : options.seed;
  const config = resolveConfig(options.profile ?? "realistic", options.config);
  const tls = options.tls ?? persisted?.tls ?? (await generateTlsMaterial());

  const store = new EmulatorStore();
  if (persisted !== undefined) store.load(persisted);
  let dirty = false;
  const ctx: EmulatorContext = {
    config,
    clock: new EmulatorClock(config.timeScale, persisted?.clockNow),
    store,
    tenantId: options.tenantId ?? persisted?.tenantId ?? seed?.tenantId ?? DEFAULT_TENANT_ID,
    baseUrl: "",
    jwk: publicJwk(tls.key),
    markDirty: () => {
      dirty = true;
    },
  };
  const throttler = new Throttler(config.throttling);
  const faults = new FaultInjector(config.faults);
  const requestLog: RequestLogEntry[] = [];
  const server = createServer(
    { key: tls.key, cert: tls.cert },
    createRequestListener({ ctx, throttler, faults, requestLog, log }),
  );

  const port = await listenPreferring(server, options.port, persisted?.port);
  ctx.baseUrl = `https://127.0.0.1:${port}`;
  if (persisted !== undefined && persisted.port !== undefined && persisted.port !== port) {
    log(`arc-wi ARM emulator: port ${persisted.port} was taken; issuer URLs now use port ${port}.`);
  }
  if (persisted === undefined && seed !== undefined) applySeed(ctx, seed);

  const caPath =
    options.caPath ?? join(tmpdir(), "arc-wi-emulator", `ca-${process.pid}-${port}.pem`);
  writeCaFile(caPath, tls.cert);
  const snapshot = (): PersistedState =>
    store.toState({ port, tenantId: ctx.tenantId, clockNow: ctx.clock.now(), tls });
  const save = () => {
    if (options.statePath !== undefined && dirty) {
      dirty = false;
      writeState(options.statePath, snapshot());
    }
  };
  const saver = setInterval(save, 200);
  saver.unref();
  dirty = options.statePath !== undefined;
  save();

  log(
    `arc-wi ARM emulator: this is a local EMULATOR of Azure Resource Manager, not Azure; it accepts any bearer token and reaches no subscription. Serving ${ctx.baseUrl} (CA: ${caPath}).`,
  );

  return {
    url: ctx.baseUrl,
    caPem: tls.cert,
    caPath,
    tenantId: ctx.tenantId,
    get requestLog() {
      return requestLog;
    },
    clearRequestLog: () => {
      requestLog.length = 0;
    },
    configure: (patch) => {
      const next = applyPatch(ctx.config, patch);
      if (next.timeScale !== ctx.config.timeScale) ctx.clock.setTimeScale(next.timeScale);
      if (JSON.stringify(next.throttling) !== JSON.stringify(ctx.config.throttling))
        throttler.reconfigure(next.throttling);
      if (JSON.stringify(next.faults) !== JSON.stringify(ctx.config.faults))
        faults.reconfigure(next.faults);
      ctx.config = next;
    },
    advanceClock: (ms) => ctx.clock.advance(ms),
    seed: (value) => applySeed(ctx, value),
    stop: async () => {
      clearInterval(saver);
      ctx.clock.releaseAll();
      await closeServer(server);
      dirty = options.statePath !== undefined;
      save();
      if (options.caPath === undefined) rmSync(caPath, { force: true });
    },
  };
}

/** Listens on `requested`, else on the port of the last run when free, else on any free port. */
async function listenPreferring(
  server: Server,
  requested: number | undefined,
  previous: number | undefined,
): Promise<number> {
  if (requested !== undefined && requested !== 0) return listen(server, requested);
  if (previous !== undefined) {
    try {
      return await listen(server, previous);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    }
  }
  return listen(server, 0);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", onError);
      const address = server.address();
      resolve(typeof address === "object" && address !== null ? address.port : port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
