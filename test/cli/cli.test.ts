import { access, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { runCli } from "./runCli.js";

const SUB = "00000000-0000-0000-0000-000000000001";
const STORE = `/subscriptions/${SUB}/resourceGroups/rg-stores-east/providers/Microsoft.Kubernetes/connectedClusters/k3s-store-0042`;
const EMULATOR_AT_NOWHERE = [
  "--policy",
  "examples/demo.policy.yaml",
  "--emulator",
  "https://127.0.0.1:9",
];

describe("arc-wi policy check", () => {
  it.each([
    ["an unknown key", "profiles: {}\nrules: []\nbogus: 1\n", /bogus/],
    [
      "a rule naming a missing profile",
      "profiles: {}\nrules:\n  - { name: r, match: {}, profiles: [nope] }\n",
      /rules\[0\]\.profiles/,
    ],
    [
      "a bad service account",
      'profiles:\n  p:\n    identities:\n      - { id: x, scope: cluster, name: "id-{cluster}", resourceGroup: rg, serviceAccounts: [Bad/Name] }\nrules: []\n',
      /serviceAccounts\[0\]/,
    ],
    ["an audience", "profiles: {}\nrules: []\naudience: api://other\n", /audience/],
  ])("refuses %s with the path of the problem", async (_case, text, path) => {
    const dir = await mkdtemp(join(tmpdir(), "arc-wi-policy-"));
    await writeFile(join(dir, "p.yaml"), text);
    const result = await runCli(["policy", "check", join(dir, "p.yaml")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(path);
  });

  it("shows what a store would get, offline", async () => {
    const result = await runCli([
      "policy",
      "check",
      "examples/retail-stores.policy.yaml",
      "--tag",
      "site-type=store",
      "--tag",
      "store=0042",
      "--tag",
      "environment=prod",
      "--resource-group",
      "rg-stores-east",
      "--output",
      "json",
    ]);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { evaluation: { identities: { name: string }[] } };
    expect(parsed.evaluation.identities.map((i) => i.name)).toContain("id-store-0042-inventory");
  });

  it('reads a region as written in the portal ("Malaysia South") the way ARM names it', async () => {
    const result = await runCli([
      "policy",
      "check",
      "examples/manufacturing-plants.policy.yaml",
      "--tag",
      "plant=p1",
      "--resource-group",
      "rg-plant-1",
      "--location",
      "Malaysia South",
      "--output",
      "json",
    ]);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as {
      evaluation: { identities: { location: string }[] };
    };
    // malaysiasouth cannot hold federated credentials: the policy's fallbackRegion applies.
    expect(parsed.evaluation.identities.map((i) => i.location)).toEqual(["southeastasia"]);
  });

  it.each([
    [
      "a tag without =",
      ["policy", "check", "examples/demo.policy.yaml", "--tag", "store"],
      /--tag takes key=value/,
    ],
    [
      "an unknown output",
      ["policy", "check", "examples/demo.policy.yaml", "--output", "yaml"],
      /--output must be/,
    ],
    [
      "a subscription that is not a GUID",
      ["plan", "--subscription", "nope", "--policy", "examples/demo.policy.yaml"],
      /must be a subscription id/,
    ],
    [
      "a resource group with ..",
      [
        "plan",
        "--subscription",
        SUB,
        "--resource-group",
        "../x",
        "--policy",
        "examples/demo.policy.yaml",
      ],
      /is not a resource group name/,
    ],
    ["a missing seed", ["demo", "--seed", "/nonexistent/seed.json"], /cannot be read/],
    [
      "a storage string that is not one",
      ["status", STORE, "--storage", "garbage"],
      /--storage must be/,
    ],
    ["an emulator port that is no number", ["emulator", "--port", "abc"], /--port takes a number/],
    ["an unknown emulator profile", ["emulator", "--profile", "turbo"], /--profile is realistic/],
    [
      "a tag given twice",
      ["policy", "check", "examples/demo.policy.yaml", "--tag", "store=a", "--tag", "Store=b"],
      /--tag Store is given twice/,
    ],
    [
      "an api-version without the OIDC fields",
      ["plan", STORE, ...EMULATOR_AT_NOWHERE, "--ca", "README.md", "--api-version", "2021-10-01"],
      /--api-version 2021-10-01 is not one whose clusters carry the OIDC issuer/,
    ],
    [
      "an empty cluster name",
      ["policy", "check", "examples/demo.policy.yaml", "--name", ""],
      /--name must not be empty/,
    ],
    [
      "an offboard subscription that is not a GUID",
      ["offboard", "--subscription", "nope"],
      /must be a subscription id/,
    ],
    [
      "an emulator URL that is not https",
      ["plan", STORE, "--policy", "examples/demo.policy.yaml", "--emulator", "x", "--ca", "y"],
      /--emulator must be the https URL/,
    ],
    [
      "a CA file that does not exist",
      ["plan", STORE, ...EMULATOR_AT_NOWHERE, "--ca", "/nonexistent/ca.pem"],
      /Cannot read the CA file "\/nonexistent\/ca.pem" \(ENOENT\)/,
    ],
    [
      "a CA file that is no certificate",
      ["plan", STORE, ...EMULATOR_AT_NOWHERE, "--ca", "README.md"],
      /"README.md" is not a PEM certificate/,
    ],
  ])("exits 2 for %s, saying what to fix", async (_case, args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it("refuses a demo seed that is not JSON before it starts or creates anything", async () => {
    const dir = await mkdtemp(join(tmpdir(), "arc-wi-demo-"));
    await writeFile(join(dir, "seed.json"), "not json");
    const out = join(dir, "out");
    const result = await runCli(["demo", "--seed", join(dir, "seed.json"), "--out", out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is not a fleet seed/);
    expect(result.stderr).not.toMatch(/Azurite/);
    await expect(access(out)).rejects.toThrow();
  });

  it("exits 2 when both policy variables are set, rather than ignoring one", async () => {
    const result = await runCli(
      ["plan", STORE, "--emulator", "https://127.0.0.1:9", "--ca", "README.md"],
      {
        env: { ARC_WI_POLICY_PATH: "examples/demo.policy.yaml", ARC_WI_POLICY: "profiles: {}" },
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Both ARC_WI_POLICY_PATH and ARC_WI_POLICY are set/);
  });

  it("exits 2 for an events file that holds no event", async () => {
    const dir = await mkdtemp(join(tmpdir(), "arc-wi-events-"));
    await writeFile(join(dir, "bad.json"), '{"validationCode":"x"}');
    const result = await runCli([
      "events",
      "replay",
      join(dir, "bad.json"),
      "--dry-run",
      "--policy",
      "examples/demo.policy.yaml",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("holds no Event Grid or CloudEvents event");
  });

  it("answers a bad usage with exit code 2 and what to do", async () => {
    const result = await runCli([
      "plan",
      "not-an-id",
      "--policy",
      "examples/demo.policy.yaml",
      "--emulator",
      "https://127.0.0.1:1",
      "--ca",
      "/dev/null",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("is not a connectedCluster id");
  });
});

describe("arc-wi plan against the emulator", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({
      profile: "test",
      seed: "examples/fleet.json",
      log: () => undefined,
    });
  });
  afterAll(async () => emulator.stop());

  const flags = () => [
    "--policy",
    "examples/demo.policy.yaml",
    "--emulator",
    emulator.url,
    "--ca",
    emulator.caPath,
  ];

  it("shows the actions for a new cluster (exit 4), then none once synced (exit 0)", async () => {
    const plan = await runCli(["plan", STORE, ...flags(), "--output", "json"]);
    expect(plan.code, plan.stderr).toBe(4);
    const planned = JSON.parse(plan.stdout) as {
      clusters: { actions: { kind: string; outcome: string }[] }[];
    };
    expect(planned.clusters[0]!.actions).toEqual([
      expect.objectContaining({ kind: "enableClusterFeatures", outcome: "planned" }),
    ]);
    expect(emulator.requestLog.filter((e) => e.kind !== "read")).toEqual([]);

    const sync = await runCli(["sync", STORE, ...flags()]);
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stdout).toContain("Converged");

    const again = await runCli(["plan", STORE, ...flags(), "--output", "json"]);
    expect(again.code, again.stderr).toBe(0);
    const none = JSON.parse(again.stdout) as { clusters: { actions: { outcome: string }[] }[] };
    expect(none.clusters[0]!.actions.filter((a) => a.outcome !== "unchanged")).toEqual([]);
  });

  it("replays captured events: says what each selects or why it is ignored, then plans", async () => {
    const dir = await mkdtemp(join(tmpdir(), "arc-wi-events-"));
    const file = join(dir, "events.json");
    const plant = STORE.replace("rg-stores-east", "rg-plants").replace(
      "k3s-store-0042",
      "tkgm-plant-p02",
    );
    await writeFile(
      file,
      JSON.stringify([
        event(plant, "Microsoft.Kubernetes/connectedClusters/write"),
        event(
          `${plant}/providers/Microsoft.KubernetesConfiguration/extensions/flux`,
          "Microsoft.KubernetesConfiguration/extensions/write",
        ),
        { not: "an event" },
      ]),
    );
    const result = await runCli([
      "events",
      "replay",
      file,
      "--dry-run",
      ...flags(),
      "--output",
      "json",
    ]);
    const parsed = JSON.parse(result.stdout) as {
      events: { clusterId?: string; ignored?: string }[];
      clusters: { clusterName: string }[];
    };
    expect(parsed.events[0]?.clusterId).toBe(plant);
    expect(parsed.events[1]?.ignored).toBeTruthy();
    expect(parsed.events[2]?.ignored).toBeTruthy();
    expect(parsed.clusters.map((c) => c.clusterName)).toEqual(["tkgm-plant-p02"]);
    expect(result.code).toBe(4);
  });

  it("offboards: shows first, then removes only what it created", async () => {
    emulator.seed({
      identities: [
        {
          subscriptionId: SUB,
          resourceGroup: "rg-team",
          name: "id-team",
          location: "eastus",
          tags: { owner: "team" },
          federatedIdentityCredentials: [
            {
              name: "team-cred",
              issuer: "https://team.example/",
              subject: "system:serviceaccount:t:t",
            },
          ],
        },
      ],
    });
    expect((await runCli(["sync", STORE, ...flags()])).code).toBe(0);
    const shown = await runCli(["offboard", "--subscription", SUB, ...flags(), "--output", "json"]);
    expect(shown.code, shown.stderr).toBe(4);
    const planned = JSON.parse(shown.stdout) as {
      actions: { kind: string; target: string; outcome: string }[];
    };
    expect(planned.actions.length).toBeGreaterThan(0);
    expect(planned.actions.every((a) => a.outcome === "planned")).toBe(true);
    expect(planned.actions.some((a) => a.target.includes("id-team"))).toBe(false);

    const done = await runCli([
      "offboard",
      "--subscription",
      SUB,
      "--yes",
      ...flags(),
      "--output",
      "json",
    ]);
    expect(done.code, done.stderr).toBe(0);
    const again = await runCli(["offboard", "--subscription", SUB, ...flags(), "--output", "json"]);
    expect((JSON.parse(again.stdout) as { actions: unknown[] }).actions).toEqual([]);
    const table = await runCli(["offboard", "--subscription", SUB, ...flags()]);
    expect(table.stdout).toMatch(/\(subscription\).*Clean/);
  });

  it("says a mistyped cluster was not found (exit 1) instead of waiting", async () => {
    const ghost = STORE.replace("k3s-store-0042", "ghost");
    const result = await runCli(["plan", ghost, ...flags()]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("was not found");
  });

  it("plans a whole resource group and exits 3 when a cluster needs a human", async () => {
    const result = await runCli([
      "plan",
      "--subscription",
      SUB,
      "--resource-group",
      "rg-cloud",
      ...flags(),
    ]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain("eks-services-01");
  });
});

function event(resourceUri: string, operationName: string) {
  return {
    id: `evt-${operationName}`,
    topic: `/subscriptions/${SUB}`,
    subject: resourceUri,
    eventType: "Microsoft.Resources.ResourceWriteSuccess",
    eventTime: "2026-12-03T10:00:00Z",
    dataVersion: "2",
    metadataVersion: "1",
    data: { resourceUri, operationName, status: "Succeeded", subscriptionId: SUB },
  };
}
