/** The chaos run's Event Grid deliveries: every event duplicated 1-3 times, all shuffled, seeded. */
import { buildArmEvent } from "../../src/local/armEvents.js";

/** Fisher-Yates with the run's PRNG. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Write events for `clusterIds`, each sent 1-3 times, in random order, in both schemas. */
export function writeEvents(clusterIds: string[], random: () => number): Record<string, unknown>[] {
  return duplicateAndShuffle(
    clusterIds.map((resourceUri, i) =>
      buildArmEvent({
        resourceUri,
        id: `w-${i}`,
        schema: random() < 0.5 ? "EventGridSchema" : "CloudEvents",
      }),
    ),
    random,
  );
}

/** Delete events for `clusterIds` (with stale write events for them mixed in). */
export function deleteEvents(
  clusterIds: string[],
  random: () => number,
): Record<string, unknown>[] {
  const deletes = clusterIds.map((resourceUri, i) =>
    buildArmEvent({
      resourceUri,
      id: `d-${i}`,
      eventType: "Microsoft.Resources.ResourceDeleteSuccess",
      operationName: "Microsoft.Kubernetes/connectedClusters/delete",
    }),
  );
  const stale = clusterIds.map((resourceUri, i) => buildArmEvent({ resourceUri, id: `s-${i}` }));
  return duplicateAndShuffle([...deletes, ...stale], random);
}

function duplicateAndShuffle(events: Record<string, unknown>[], random: () => number) {
  const copies = events.flatMap((e) =>
    Array.from({ length: 1 + Math.floor(random() * 3) }, () => e),
  );
  return shuffle(copies, random);
}

/** Splits `items` into `count` batches of about the same size. */
export function batches<T>(items: T[], count: number): T[][] {
  const size = Math.max(1, Math.ceil(items.length / count));
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );
}
