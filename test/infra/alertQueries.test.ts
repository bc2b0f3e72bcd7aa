import { InvocationContext } from "@azure/functions";
import { describe, expect, it } from "vitest";

import { createContextLogger } from "../../src/functions/runtime/contextLogger.js";
import { readTemplate } from "./support/loadTemplate.js";

const query = readTemplate("resources.json").variables!.failedClustersQuery as string;

/** The regular expressions the query applies to `message` with KQL's extract(). */
function extractPatterns(): RegExp[] {
  return [...query.matchAll(/extract\('(.+?)', 1, message\)/g)].map((m) => new RegExp(m[1]!));
}

/** One line as the app's logger writes it to the Functions host (and so to `traces`). */
function loggedLine(fields: Record<string, string>): string {
  const lines: string[] = [];
  const context = new InvocationContext({
    invocationId: "inv-1",
    logHandler: (_level, ...args) => lines.push(args.map(String).join(" ")),
  });

  createContextLogger(context).info("reconcile recorded", fields);
  return lines[0]!;
}

describe("failed-clusters alert query", () => {
  const cluster =
    "/subscriptions/0000/resourceGroups/rg-stores/providers/Microsoft.Kubernetes/connectedClusters/store-0042";

  it("reads status and cluster from the line the app's logger writes", () => {
    const line = loggedLine({ cluster, status: "Failed" });
    const [status, clusterPattern] = extractPatterns();

    expect(line.match(status!)?.[1]).toBe("Failed");
    expect(line.match(clusterPattern!)?.[1]).toBe(cluster);
  });

  it("does not read another status as Failed", () => {
    const line = loggedLine({ cluster, status: "Converged" });

    expect(line.match(extractPatterns()[0]!)?.[1]).toBe("Converged");
  });
});
