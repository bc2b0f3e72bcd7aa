import type { HostQueueSettings } from "./hostQueueSettings.js";

/**
 * Encodes message text the way the queue trigger expects it (host.json `messageEncoding`):
 * the host decodes base64 by default and sends what it cannot decode to the poison queue.
 */
export function encodeQueueMessage(
  text: string,
  encoding: HostQueueSettings["messageEncoding"],
): string {
  return encoding === "base64" ? Buffer.from(text, "utf8").toString("base64") : text;
}

/**
 * Decodes message text as the queue trigger does.
 * @returns the text, or undefined when `encoding` is base64 and the text is not valid base64.
 */
export function tryDecodeQueueMessage(
  text: string,
  encoding: HostQueueSettings["messageEncoding"],
): string | undefined {
  if (encoding === "none") return text;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  return Buffer.from(text, "base64").toString("utf8");
}
