import { createHash } from "node:crypto";

import type { RestError } from "@azure/core-rest-pipeline";
import type { BlobLeaseClient, ContainerClient } from "@azure/storage-blob";

import type { Logger } from "../log/logger.js";
import { silentLogger } from "../log/logger.js";
import type { LockProvider } from "../reconcile/contract.js";
import { LockTimeoutError } from "./lockTimeoutError.js";

/** Options of {@link BlobLeaseLockProvider}. */
export interface BlobLeaseLockOptions {
  /** Lease length, renewed at half of it while held (Blob storage allows 15-60). @default 30 */
  leaseSeconds?: number;
  /** How long `withLock` waits for a taken lock before it throws. @default 120000 */
  waitTimeoutMs?: number;
  /** First and longest wait between attempts (exponential, with jitter). @default 100 / 5000 */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Source of jitter in [0, 1); tests pass a seeded one. @default Math.random */
  random?: () => number;
  logger?: Logger;
}

/** Whether a lease attempt got the lock; `release` must be called once the work is done. */
type Attempt = { acquired: true; release: () => Promise<void> } | { acquired: false };

/**
 * Locks across processes with blob leases in the app's storage account (Azurite locally): one
 * empty blob per lock name, leased while the lock is held, renewed at half the lease, and
 * released at the end. A holder that crashes stops renewing, and the lease expires.
 * @see https://learn.microsoft.com/rest/api/storageservices/lease-blob
 */
export class BlobLeaseLockProvider implements LockProvider {
  private readonly leaseSeconds: number;
  private readonly logger: Logger;

  constructor(
    private readonly container: ContainerClient,
    private readonly options: BlobLeaseLockOptions = {},
  ) {
    this.leaseSeconds = Math.min(60, Math.max(15, options.leaseSeconds ?? 30));
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * Runs `work` while holding the lock; waits with backoff while another holder has it.
   * @throws LockTimeoutError when the lock stays taken for `waitTimeoutMs`.
   */
  async withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
    const waitTimeoutMs = this.options.waitTimeoutMs ?? 120_000;
    const started = Date.now();

    for (let attempt = 0; ; attempt++) {
      const result = await this.tryWithLock(name, work);
      if (result.acquired) return result.value;

      const waited = Date.now() - started;
      if (waited >= waitTimeoutMs) throw new LockTimeoutError(name, waited);
      await sleep(Math.min(this.backoffMs(attempt), waitTimeoutMs - waited));
    }
  }

  /**
   * Runs `work` if the lock is free now; never waits for it.
   * @returns `{acquired: false}` when another holder has the lock.
   */
  async tryWithLock<T>(
    name: string,
    work: () => Promise<T>,
  ): Promise<{ acquired: true; value: T } | { acquired: false }> {
    const attempt = await this.tryAcquire(name);
    if (!attempt.acquired) return { acquired: false };

    try {
      return { acquired: true, value: await work() };
    } finally {
      await attempt.release();
    }
  }

  private async tryAcquire(name: string): Promise<Attempt> {
    const blob = this.container.getBlockBlobClient(lockBlobName(name));
    const lease = blob.getBlobLeaseClient();

    try {
      await lease.acquireLease(this.leaseSeconds);
    } catch (error) {
      if (isCode(error, "LeaseAlreadyPresent")) return { acquired: false };
      if (!isCode(error, "BlobNotFound") && !isCode(error, "ContainerNotFound")) throw error;

      await this.createLockBlob(name);
      return this.tryAcquire(name);
    }
    return { acquired: true, release: this.keepRenewing(name, lease) };
  }

  private async createLockBlob(name: string): Promise<void> {
    await this.container.createIfNotExists();
    const blob = this.container.getBlockBlobClient(lockBlobName(name));
    try {
      await blob.upload("", 0, { conditions: { ifNoneMatch: "*" } });
    } catch (error) {
      // Another worker created it first, or holds a lease on it already: both are fine.
      const benign = [409, 412].includes((error as RestError).statusCode ?? 0);
      if (!benign) throw error;
    }
  }

  private keepRenewing(name: string, lease: BlobLeaseClient): () => Promise<void> {
    const timer = setInterval(
      () => {
        lease.renewLease().catch(() => this.logger.warn("lease renewal failed", { lock: name }));
      },
      (this.leaseSeconds * 1000) / 2,
    );
    timer.unref();

    return async () => {
      clearInterval(timer);
      await lease.releaseLease().catch(() => {
        this.logger.warn("lease release failed; it expires on its own", { lock: name });
      });
    };
  }

  private backoffMs(attempt: number): number {
    const min = this.options.minBackoffMs ?? 100;
    const max = this.options.maxBackoffMs ?? 5_000;
    const random = this.options.random ?? Math.random;
    const ceiling = Math.min(max, min * 2 ** attempt);
    return ceiling / 2 + random() * (ceiling / 2);
  }
}

/**
 * The blob that backs a lock. Lock names are free text (cluster ids, identity keys, compared
 * case-insensitively), so the blob is named by their hash.
 */
export function lockBlobName(name: string): string {
  return `locks/${createHash("sha256").update(name.toLowerCase()).digest("hex")}`;
}

function isCode(error: unknown, code: string): boolean {
  return (error as RestError).code === code;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
