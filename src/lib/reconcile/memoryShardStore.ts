import type { ShardStore } from "./contract.js";

/** A `ShardStore` in memory, for the CLI and single-process runs (shards are then re-found by scan). */
export class MemoryShardStore implements ShardStore {
  private readonly shards = new Map<string, number>();

  /** The shard recorded for (cluster, identity key), if any. */
  getShard(clusterId: string, identityKey: string): Promise<number | undefined> {
    return Promise.resolve(this.shards.get(key(clusterId, identityKey)));
  }

  /** Records the shard a cluster was given. */
  setShard(clusterId: string, identityKey: string, shard: number): Promise<void> {
    this.shards.set(key(clusterId, identityKey), shard);
    return Promise.resolve();
  }
}

function key(clusterId: string, identityKey: string): string {
  return `${clusterId.toLowerCase()}|${identityKey}`;
}
