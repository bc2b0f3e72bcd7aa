import type { AccessToken, TokenCredential } from "@azure/core-auth";

/**
 * A credential for the local ARM emulator only: it hands out a fixed, meaningless token (the
 * emulator accepts any bearer token). Never use it against Azure.
 */
export function createEmulatorCredential(): TokenCredential {
  return {
    getToken: (): Promise<AccessToken> =>
      Promise.resolve({
        token: "arc-wi-emulator-token",
        expiresOnTimestamp: Date.now() + 3_600_000,
      }),
  };
}
