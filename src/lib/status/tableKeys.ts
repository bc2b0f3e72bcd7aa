/**
 * Table keys may not hold `/ \ # ?` or control characters, and ARM ids are case-insensitive:
 * a cluster's key is its lower-cased id in base64url (reversible, at most ~350 characters).
 * @see https://learn.microsoft.com/rest/api/storageservices/understanding-the-table-service-data-model
 */
export function toTableKey(text: string): string {
  return Buffer.from(text.toLowerCase(), "utf8").toString("base64url");
}

/** A key made from text whose case matters (identity keys, operation ids). */
export function toCaseSensitiveTableKey(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}
