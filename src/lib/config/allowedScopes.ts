const SUBSCRIPTION_SCOPE = /^\/subscriptions\/[0-9a-f-]{36}$/i;
const RESOURCE_GROUP_SCOPE = /^\/subscriptions\/[0-9a-f-]{36}\/resourcegroups\/[^/]+$/i;

/**
 * Parses `ARC_WI_ALLOWED_SCOPES`: comma-separated `/subscriptions/<id>` or
 * `/subscriptions/<id>/resourceGroups/<rg>` ids (trailing slashes and blanks ignored).
 * @returns the scopes, or the entries that are not such ids.
 */
export function parseAllowedScopes(value: string): { scopes: string[]; invalid: string[] } {
  const entries = value
    .split(",")
    .map((s) => s.trim().replace(/\/+$/, ""))
    .filter((s) => s.length > 0);
  const isScope = (s: string): boolean =>
    SUBSCRIPTION_SCOPE.test(s) || RESOURCE_GROUP_SCOPE.test(s);
  return { scopes: entries.filter(isScope), invalid: entries.filter((s) => !isScope(s)) };
}

/**
 * Whether a resource id lies within one of the scopes (case-insensitive, segment-aligned:
 * `/subscriptions/x/resourceGroups/rg` does not contain `.../resourceGroups/rg2`).
 */
export function isInAllowedScopes(resourceId: string, scopes: readonly string[]): boolean {
  const id = resourceId.toLowerCase();
  return scopes.some((scope) => {
    const prefix = scope.toLowerCase();
    return id === prefix || id.startsWith(`${prefix}/`);
  });
}

/**
 * Narrows a requested scope to the allowed ones: the requested scope itself when it lies
 * within an allowed scope, else the allowed scopes that lie within it (possibly none).
 */
export function narrowToAllowedScopes(requested: string, scopes: readonly string[]): string[] {
  if (isInAllowedScopes(requested, scopes)) return [requested];
  return scopes.filter((scope) => isInAllowedScopes(scope, [requested]));
}
