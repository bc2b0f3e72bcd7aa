import { Agent, get } from "node:https";

/** The issuer to federate, and why it was chosen. */
export interface ResolvedIssuer {
  issuer: string;
  /** Set when the discovery document could not confirm the ARM value. */
  warning?: string;
}

/** Joins an issuer and the discovery path without a double slash. */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
}

/**
 * Resolves the issuer string that tokens will carry. Reads the issuer's discovery document and
 * takes its `issuer` when it equals the ARM value or differs from it by one trailing slash;
 * otherwise keeps the ARM value and says why.
 *
 * NOTE: the credential's issuer must equal the token's `iss` byte for byte; a slash more or less
 * fails the exchange with AADSTS700211 (FACTS.md, traps 1).
 */
export async function resolveIssuer(
  armIssuer: string,
  options: { caPem?: string; timeoutMs?: number } = {},
): Promise<ResolvedIssuer> {
  let document: { issuer?: unknown };
  try {
    document = (await fetchJson(discoveryUrl(armIssuer), options)) as { issuer?: unknown };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return {
      issuer: armIssuer,
      warning: `discovery document unreadable (${reason}); using ARM's issuerUrl`,
    };
  }

  const found = typeof document.issuer === "string" ? document.issuer : undefined;
  if (found !== undefined && sameUpToOneSlash(found, armIssuer)) return { issuer: found };
  return {
    issuer: armIssuer,
    warning: `discovery document names issuer ${String(found)}, not ARM's ${armIssuer}; using ARM's value`,
  };
}

function sameUpToOneSlash(a: string, b: string): boolean {
  return a === b || a === `${b}/` || `${a}/` === b;
}

function fetchJson(url: string, options: { caPem?: string; timeoutMs?: number }): Promise<unknown> {
  const agent = options.caPem ? new Agent({ ca: options.caPem }) : undefined;
  return new Promise((resolve, reject) => {
    const request = get(url, { agent, timeout: options.timeoutMs ?? 5000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        if ((response.statusCode ?? 0) >= 300)
          return reject(new Error(`HTTP ${response.statusCode}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        } catch {
          reject(new Error("not JSON"));
        }
      });
    });
    request.on("timeout", () => request.destroy(new Error("timed out")));
    request.on("error", reject);
  });
}
