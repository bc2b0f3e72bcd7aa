import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { processesInGroup, spawnInGroup } from "../support/processGroup.js";
import { ROOT, runCli } from "./runCli.js";

describe("arc-wi demo (npm start)", () => {
  it("settles the demo fleet, prints the table and writes the report and manifests", async () => {
    const out = await mkdtemp(join(tmpdir(), "arc-wi-demo-"));
    const result = await runCli(["demo", "--out", out], { timeoutMs: 120_000 });

    expect(result.code, result.stderr).toBe(0);
    for (const name of [
      "aksarc-hq-01",
      "ocp-plant-p01-line1",
      "k3s-store-0042",
      "tkgm-plant-p02",
      "eks-services-01",
    ]) {
      expect(result.stdout).toContain(name);
    }
    expect(result.stdout).toMatch(/eks-services-01\s+│ eks\s+│ ActionRequired/);
    expect(result.stdout).toMatch(/k3s-store-0042\s+│ k3s\s+│ Converged/);

    const report = JSON.parse(await readFile(join(out, "report.json"), "utf8")) as {
      clusters: {
        id: string;
        distribution: string;
        status: string;
        identities: { clientId?: string }[];
        nextSteps: string[];
      }[];
    };
    expect(report.clusters).toHaveLength(5);
    expect(report.clusters.map((c) => c.status).sort()).toEqual([
      "ActionRequired",
      "Converged",
      "Converged",
      "Converged",
      "Converged",
    ]);
    const store = report.clusters.find((c) => c.id.endsWith("/k3s-store-0042"))!;
    expect(store.nextSteps[0]).toContain("service-account-issuer=");

    const manifests = await readdir(join(out, "manifests"));
    expect(manifests.sort()).toEqual([
      "aksarc-hq-01.yaml",
      "k3s-store-0042.yaml",
      "ocp-plant-p01-line1.yaml",
      "tkgm-plant-p02.yaml",
    ]);
    const storeYaml = await readFile(join(out, "manifests", "k3s-store-0042.yaml"), "utf8");
    for (const identity of store.identities)
      expect(storeYaml).toContain(`azure.workload.identity/client-id: ${identity.clientId}`);
  }, 150_000);
});

describe("arc-wi demo on Ctrl-C", () => {
  it("stops everything it started and exits 130", async () => {
    const out = await mkdtemp(join(tmpdir(), "arc-wi-demo-int-"));
    // Its own process group, as a terminal gives it: Ctrl-C reaches Azurite too.
    const demo = spawnInGroup([join(ROOT, "bin/arc-wi.js"), "demo", "--out", out], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1" },
    });
    await demo.saying("Delivering");
    const child = demo.child;

    process.kill(-child.pid!, "SIGINT");
    expect(await demo.exited).toBe(130);
    expect(demo.stderr()).toContain("everything the demo started was stopped");
    expect(processesInGroup(child.pid!)).toEqual([]);
  }, 120_000);
});
