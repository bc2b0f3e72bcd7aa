/**
 * The emulator's TLS certificate: self-signed, for 127.0.0.1, ::1 and localhost, generated with
 * the `selfsigned` package and written to a file that clients trust explicitly.
 */
import { createPublicKey } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { generate } from "selfsigned";

export interface TlsMaterial {
  cert: string;
  key: string;
}

/** A fresh self-signed certificate valid for one year. */
export async function generateTlsMaterial(): Promise<TlsMaterial> {
  const pems = await generate([{ name: "commonName", value: "arc-wi ARM emulator (not Azure)" }], {
    keySize: 2048,
    algorithm: "sha256",
    notAfterDate: new Date(Date.now() + 365 * 24 * 3600 * 1000),
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** Writes the certificate (the CA clients must trust) to `path`. */
export function writeCaFile(path: string, cert: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, cert);
}

/** The RSA public key of the certificate as a JWK, for the issuers' `jwks_uri`. */
export function publicJwk(key: string): Record<string, unknown> {
  const jwk = createPublicKey(key).export({ format: "jwk" });
  return { kty: jwk.kty, n: jwk.n, e: jwk.e, use: "sig", alg: "RS256" };
}
