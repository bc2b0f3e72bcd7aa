const DEFAULT_MAX = 64;

/**
 * Renders an untrusted value (a tag value, a rendered name) for a message: quoted, control and
 * invisible format characters escaped as `\u{…}`, and cut at `max` characters with the full
 * length stated, so a 256-character tag or a bidi override cannot garble a report or a log.
 */
export function displayValue(value: string, max = DEFAULT_MAX): string {
  const chars = Array.from(value);
  const shown = chars.length > max ? chars.slice(0, max).join("") : value;
  const escaped = shown.replace(/[\p{C}"\\]/gu, escapeChar);
  const suffix = chars.length > max ? `…" (${chars.length} characters)` : `"`;
  return `"${escaped}${suffix}`;
}

function escapeChar(char: string): string {
  if (char === '"' || char === "\\") {
    return `\\${char}`;
  }
  return `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`;
}
