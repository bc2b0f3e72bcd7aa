/**
 * What every handler sees: the live configuration, the clock, the store and the emulator's
 * identity (URL, tenant, signing key), plus the request and reply shapes handlers work with.
 */
import type { EmulatorClock } from "./clock.js";
import type { EmulatorConfig } from "./config.js";
import type { EmulatorStore } from "./state.js";

export interface EmulatorContext {
  /** Replaced as a whole by `configure()`: read it on every request, never cache it. */
  config: EmulatorConfig;
  readonly clock: EmulatorClock;
  readonly store: EmulatorStore;
  readonly tenantId: string;
  /** "https://127.0.0.1:<port>", without a trailing slash. */
  baseUrl: string;
  /** The public key the issuers publish in their JWKS. */
  readonly jwk: Record<string, unknown>;
  /** Records that the store changed, so the state file is written. */
  markDirty(): void;
}

export interface EmulatorRequest {
  method: string;
  url: URL;
  /** Path parameters of the matched route, as sent (case kept). */
  params: Record<string, string>;
  apiVersion: string;
  body: unknown;
}

export interface EmulatorReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (
  req: EmulatorRequest,
  ctx: EmulatorContext,
) => Promise<EmulatorReply> | EmulatorReply;

/** An ISO timestamp of emulator time `ms`. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
