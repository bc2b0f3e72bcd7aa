import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { REPO_ROOT } from "./support/referencePaths.js";

const run = promisify(execFile);
const SCRIPT = resolve(REPO_ROOT, "scripts/postdeploy.sh");

/** Stands in for the Azure CLI: records each call; fails eventgrid.json FAIL_EVENTGRID times. */
const FAKE_AZ = `#!/bin/sh
printf '%s\\n' "$*" >> "$AZ_LOG"
case "$*" in
  *eventgrid.json*)
    count=$(cat "$AZ_LOG.eg" 2>/dev/null || echo 0)
    echo $((count + 1)) > "$AZ_LOG.eg"
    [ "$count" -ge "\${FAIL_EVENTGRID:-0}" ] || exit 1 ;;
esac
`;

const OUTPUTS = {
  AZURE_FUNCTION_APP_ID: "/subscriptions/app/resourceGroups/rg/providers/Microsoft.Web/sites/func",
  AZURE_FUNCTION_APP_PRINCIPAL_ID: "11111111-2222-3333-4444-555555555555",
  AZURE_STORAGE_ACCOUNT_ID:
    "/subscriptions/app/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st",
  ARC_WI_DEAD_LETTER_CONTAINER: "arc-wi-deadletter",
  AZURE_LOCATION: "westeurope",
};

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "arc-wi-postdeploy-"));
  writeFileSync(join(dir, "az"), FAKE_AZ);
  chmodSync(join(dir, "az"), 0o755);
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function postdeploy(env: Record<string, string>) {
  const fullEnv = {
    PATH: `${dir}:${process.env.PATH ?? ""}`,
    AZ_LOG: join(dir, "calls"),
    ARC_WI_RETRY_DELAY_SECONDS: "0",
    ...env,
  };

  try {
    const { stdout, stderr } = await run("sh", [SCRIPT], { env: fullEnv });
    return { code: 0, stdout, stderr, calls: calls() };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, calls: calls() };
  }
}

function calls(): string[] {
  try {
    return readFileSync(join(dir, "calls"), "utf8").trim().split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

describe("scripts/postdeploy.sh", () => {
  it("deploys the role, then the events, in each managed subscription", async () => {
    const result = await postdeploy({ ...OUTPUTS, ARC_WI_MANAGED_SUBSCRIPTIONS: "sub-a, sub-b" });

    expect(result.code).toBe(0);
    expect(
      result.calls.map((c) => c.match(/--subscription (\S+)/)![1] + " " + c.match(/\w+\.json/)![0]),
    ).toEqual([
      "sub-a subscription.json",
      "sub-a eventgrid.json",
      "sub-b subscription.json",
      "sub-b eventgrid.json",
    ]);
  });

  it("passes the app's outputs as template parameters", async () => {
    const {
      calls: [role, events],
    } = await postdeploy({ ...OUTPUTS, AZURE_SUBSCRIPTION_ID: "sub-x" });

    expect(role).toContain("deployment sub create");
    expect(role).toContain(`appPrincipalId=${OUTPUTS.AZURE_FUNCTION_APP_PRINCIPAL_ID}`);
    expect(role).toContain("assignmentScope=subscription managedResourceGroups=[]");
    expect(events).toContain(`functionAppResourceId=${OUTPUTS.AZURE_FUNCTION_APP_ID}`);
    expect(events).toContain(
      `deadLetterStorageAccountResourceId=${OUTPUTS.AZURE_STORAGE_ACCOUNT_ID}`,
    );
    expect(events).toContain("deadLetterContainerName=arc-wi-deadletter grantDeadLetterRole=true");
    expect(events).toContain("--location westeurope");
  });

  it("assigns on listed resource groups when asked", async () => {
    const {
      calls: [role],
    } = await postdeploy({
      ...OUTPUTS,
      AZURE_SUBSCRIPTION_ID: "sub-x",
      ARC_WI_ROLE_SCOPE: "resourceGroups",
      ARC_WI_MANAGED_RESOURCE_GROUPS: "rg-clusters, rg-identities",
    });

    expect(role).toContain(
      'assignmentScope=resourceGroups managedResourceGroups=["rg-clusters","rg-identities"]',
    );
  });

  it("skips the role when someone else deploys it", async () => {
    const result = await postdeploy({
      ...OUTPUTS,
      AZURE_SUBSCRIPTION_ID: "sub-x",
      ARC_WI_DEPLOY_ROLE: "false",
    });

    expect(result.calls).toHaveLength(1);
    expect(result.calls[0]).toContain("eventgrid.json");
  });

  it("retries the events while the new function is not visible yet", async () => {
    const result = await postdeploy({
      ...OUTPUTS,
      AZURE_SUBSCRIPTION_ID: "sub-x",
      FAIL_EVENTGRID: "2",
    });

    expect(result.code).toBe(0);
    expect(result.calls.filter((c) => c.includes("eventgrid.json"))).toHaveLength(3);
    expect(result.stderr).toContain("try 2 of 5");
  });

  it("gives up after the configured attempts", async () => {
    const result = await postdeploy({
      ...OUTPUTS,
      AZURE_SUBSCRIPTION_ID: "sub-x",
      FAIL_EVENTGRID: "9",
      ARC_WI_EVENTGRID_ATTEMPTS: "2",
    });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("eventgrid.json failed 2 times in subscription sub-x");
  });

  it.each([
    [{ ...OUTPUTS, AZURE_LOCATION: "" }, /AZURE_LOCATION is not set/],
    [{ ...OUTPUTS }, /no managed subscription/],
    [
      { ...OUTPUTS, AZURE_SUBSCRIPTION_ID: "s", ARC_WI_ROLE_SCOPE: "tenant" },
      /must be subscription or resourceGroups/,
    ],
    [
      { ...OUTPUTS, AZURE_SUBSCRIPTION_ID: "s", ARC_WI_ROLE_SCOPE: "resourceGroups" },
      /needs ARC_WI_MANAGED_RESOURCE_GROUPS/,
    ],
  ])("refuses to start on bad input (%#), calling nothing", async (env, message) => {
    const result = await postdeploy(env);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.calls).toEqual([]);
  });
});
