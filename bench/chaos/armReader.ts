/**
 * Plain HTTPS calls to the emulator for the chaos run's own checks: independent of the engine's
 * gateways, so a bug there cannot hide in the check. Follows `nextLink`; retries what the
 * emulator throttles or faults.
 */
import { request } from "node:https";

export const MSI_API = "2024-11-30";
export const CLUSTER_API = "2026-05-01";

export interface ArmReply {
  status: number;
  body: Record<string, unknown>;
}

/** One call; `path` may be absolute (a nextLink) or start with `/`. */
export function callArm(args: {
  baseUrl: string;
  caPem: string;
  method: string;
  path: string;
  body?: unknown;
}): Promise<ArmReply> {
  const url = new URL(args.path, args.baseUrl);
  const payload = args.body === undefined ? undefined : JSON.stringify(args.body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: args.method,
        ca: args.caPem,
        headers: {
          authorization: "Bearer chaos-check",
          ...(payload ? { "content-type": "application/json" } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode ?? 0,
            body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
          });
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** A call retried while the answer is 429, 5xx or a reset. */
export async function callArmPatiently(args: Parameters<typeof callArm>[0]): Promise<ArmReply> {
  for (let attempt = 1; ; attempt++) {
    try {
      const reply = await callArm(args);
      if (reply.status !== 429 && reply.status < 500) return reply;
    } catch (error) {
      if (attempt > 20) throw error;
    }
    if (attempt > 20) throw new Error(`${args.method} ${args.path} kept failing`);
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
  }
}

/** Every item of a list, following `nextLink`. */
export async function listAll(
  baseUrl: string,
  caPem: string,
  path: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let next: string | undefined = path;
  while (next) {
    const reply = await callArmPatiently({ baseUrl, caPem, method: "GET", path: next });
    if (reply.status === 404) return items;
    items.push(...((reply.body.value as Record<string, unknown>[] | undefined) ?? []));
    next = reply.body.nextLink as string | undefined;
  }
  return items;
}
