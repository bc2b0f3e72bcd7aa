import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Tree } from "web-tree-sitter";
import { parse as parseYaml } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";

import { readTemplate } from "./support/loadTemplate.js";
import {
  declarations,
  declaredName,
  objectKeys,
  parseBicep,
  parseBicepFile,
  syntaxErrors,
} from "./support/parseBicep.js";
import { INFRA_DIR, REPO_ROOT } from "./support/referencePaths.js";

const source = readFileSync(resolve(INFRA_DIR, "main.bicep"), "utf8");
const resources = readTemplate("resources.json");
let tree: Tree;

beforeAll(async () => {
  tree = await parseBicepFile(resolve(INFRA_DIR, "main.bicep"));
});

describe("infra/main.bicep (syntax only: tree-sitter-bicep)", () => {
  it("parses without errors", () => {
    expect(syntaxErrors(tree.rootNode)).toEqual([]);
  });

  it("would report a syntax error (the check can fail)", async () => {
    const broken = await parseBicep(source.replace("module resources", "module resources ="));

    expect(syntaxErrors(broken.rootNode).length).toBeGreaterThan(0);
  });

  it("deploys at subscription scope, with no registry modules", () => {
    const paths = declarations(tree, "module_declaration").map((m) => m.namedChildren[1]!.text);

    expect(source).toMatch(/^targetScope = 'subscription'$/m);
    expect(paths).toEqual(["'./resources.json'"]);
  });

  it("wraps resources.json in one module scoped to the resource group it creates", () => {
    const modules = declarations(tree, "module_declaration");

    expect(modules).toHaveLength(1);
    expect(modules[0]!.text).toContain("'./resources.json'");
    expect(modules[0]!.text).toMatch(/scope: rg\b/);
    expect(declarations(tree, "resource_declaration")[0]!.text).toContain(
      "'Microsoft.Resources/resourceGroups@2025-04-01'",
    );
  });

  it("passes only parameters resources.json declares, and every one it requires", () => {
    const passed = objectKeys(declarations(tree, "module_declaration")[0]!, "params");
    const declared = Object.entries(resources.parameters!);
    const required = declared.filter(([, p]) => p.defaultValue === undefined).map(([n]) => n);

    expect(passed.filter((p) => !declared.some(([n]) => n === p))).toEqual([]);
    expect(required.filter((r) => !passed.includes(r))).toEqual([]);
  });

  it("outputs only what resources.json outputs, under azd's UPPER_SNAKE names", () => {
    const outputs = declarations(tree, "output_declaration").map((o) => o.text);
    const referenced = outputs.flatMap((o) =>
      [...o.matchAll(/resources\.outputs\.(\w+)/g)].map((m) => m[1]!),
    );

    expect(referenced.filter((r) => resources.outputs![r] === undefined)).toEqual([]);
    expect(declarations(tree, "output_declaration").map(declaredName)).toEqual(
      expect.arrayContaining([
        "AZURE_FUNCTION_APP_ID",
        "AZURE_FUNCTION_APP_PRINCIPAL_ID",
        "AZURE_STORAGE_ACCOUNT_ID",
        "ARC_WI_DEAD_LETTER_CONTAINER",
        "AZURE_LOCATION",
      ]),
    );
  });
});

describe("infra/main.parameters.json", () => {
  const file = JSON.parse(readFileSync(resolve(INFRA_DIR, "main.parameters.json"), "utf8"));

  it("sets only parameters main.bicep declares, with azd ${VAR} substitution", () => {
    const params = declarations(tree, "parameter_declaration").map(declaredName);
    const values = file.parameters as Record<string, { value: string }>;

    expect(Object.keys(values).filter((k) => !params.includes(k))).toEqual([]);
    expect(values.environmentName!.value).toBe("${AZURE_ENV_NAME}");
    expect(values.location!.value).toBe("${AZURE_LOCATION}");
  });
});

describe("azure.yaml", () => {
  const azure = parseYaml(readFileSync(resolve(REPO_ROOT, "azure.yaml"), "utf8"));

  it("deploys the project as a Function app from infra/main.bicep", () => {
    expect(azure.infra).toEqual({ provider: "bicep", path: "infra", module: "main" });
    expect(azure.services.api).toMatchObject({ project: ".", language: "ts", host: "function" });
  });

  it("runs scripts/postdeploy.sh after deploy", () => {
    expect(azure.hooks.postdeploy).toMatchObject({ shell: "sh", run: "./scripts/postdeploy.sh" });
  });

  it("names the service the way resources.json tags the app", () => {
    expect(resources.variables!.functionAppTags).toContain(`'azd-service-name', 'api'`);
    expect(Object.keys(azure.services)).toEqual(["api"]);
  });
});
