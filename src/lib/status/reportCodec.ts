import { gunzipSync, gzipSync } from "node:zlib";

import type { ClusterReport } from "../reconcile/contract.js";

/**
 * Table Storage caps a string property at 64 KiB (32K UTF-16 characters) and an entity at
 * 1 MiB; a report with many identities and manifests can pass the first. The report is stored
 * gzipped, in base64, split over `report0..reportN` properties of 30,000 characters.
 * @see https://learn.microsoft.com/rest/api/storageservices/understanding-the-table-service-data-model#property-types
 */
const CHUNK_CHARS = 30_000;
/** At most ~900 KB of properties, under the 1 MiB entity limit. */
const MAX_CHUNKS = 30;

/** Properties that hold one encoded report. */
export type EncodedReport = Record<string, string | number> & { reportChunks: number };

/**
 * Encodes a report into entity properties.
 * @throws ReportTooLarge when even compressed it passes the entity size limit.
 */
export function encodeReport(report: ClusterReport): EncodedReport {
  const packed = gzipSync(Buffer.from(JSON.stringify(report), "utf8")).toString("base64");
  const chunks = Math.max(1, Math.ceil(packed.length / CHUNK_CHARS));
  if (chunks > MAX_CHUNKS) {
    throw Object.assign(
      new Error(
        `The report for ${report.clusterId} is ${packed.length} characters compressed, past ` +
          "Table Storage's 1 MiB entity limit. Split the policy's profiles for this cluster.",
      ),
      { name: "ReportTooLargeError", code: "ReportTooLarge" },
    );
  }

  const encoded: EncodedReport = { reportChunks: chunks };
  for (let i = 0; i < chunks; i++) {
    encoded[`report${i}`] = packed.slice(i * CHUNK_CHARS, (i + 1) * CHUNK_CHARS);
  }
  return encoded;
}

/**
 * Decodes a report from entity properties.
 * @returns undefined when the properties hold no complete report.
 */
export function tryDecodeReport(entity: Record<string, unknown>): ClusterReport | undefined {
  const chunks = entity.reportChunks;
  if (typeof chunks !== "number" || chunks < 1) return undefined;

  const parts: string[] = [];
  for (let i = 0; i < chunks; i++) {
    const part = entity[`report${i}`];
    if (typeof part !== "string") return undefined;
    parts.push(part);
  }
  const json = gunzipSync(Buffer.from(parts.join(""), "base64")).toString("utf8");
  return JSON.parse(json) as ClusterReport;
}
