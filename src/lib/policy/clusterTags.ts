/** What a cluster has under one tag key. */
export type TagLookup =
  | { kind: "absent" }
  | { kind: "value"; key: string; value: string }
  /** Several keys that differ only in case, with different values: none is trusted. */
  | { kind: "ambiguous"; entries: Array<{ key: string; value: string }> };

/** A cluster's tags, looked up by key case-insensitively (as ARM treats tag keys). */
export interface ClusterTagView {
  lookup(key: string): TagLookup;
}

/**
 * Indexes a cluster's tags by lower-cased key. ARM never returns two keys that differ only in
 * case, but the facts may come from elsewhere: when they do and their values differ, the key is
 * ambiguous and matches nothing, rather than letting key order decide. Missing tags (`null` from
 * ARM) count as none.
 */
export function createClusterTagView(
  tags: Readonly<Record<string, string>> | null | undefined,
): ClusterTagView {
  const byKey = new Map<string, Array<{ key: string; value: string }>>();
  for (const [key, value] of Object.entries(tags ?? {})) {
    // Facts built from untyped JSON may carry a non-string value: no tag is better than a guess.
    if (typeof value !== "string") {
      continue;
    }
    const folded = key.toLowerCase();
    byKey.set(folded, [...(byKey.get(folded) ?? []), { key, value }]);
  }

  return {
    lookup(key: string): TagLookup {
      const found = byKey.get(key.toLowerCase()) ?? [];
      const [first] = found;
      if (first === undefined) {
        return { kind: "absent" };
      }
      if (found.some((entry) => entry.value !== first.value)) {
        return { kind: "ambiguous", entries: found };
      }
      return { kind: "value", key: first.key, value: first.value };
    },
  };
}
