import { InvalidArgumentError, type Command } from "commander";

import { evaluatePolicy, loadPolicy, PolicyValidationError } from "../../lib/policy/index.js";
import { clusterIdOf } from "../../lib/arm/resourceId.js";
import { CliError, EXIT, EXIT_CODES_HELP } from "../exitCodes.js";
import { parseOutput, printJson, printTable, type OutputFormat } from "../output.js";

interface PolicyCheckFlags {
  tag: [string, string][];
  subscription: string;
  resourceGroup: string;
  location: string;
  distribution?: string;
  kind?: string;
  name: string;
  output: OutputFormat;
}

/** Adds `policy check`: validate a policy and show what a cluster with given facts would get. */
export function addPolicyCommand(program: Command): void {
  const policy = program.command("policy").description("work with policy files, offline");
  policy
    .command("check")
    .description(
      "validate a policy; with cluster facts, show what that cluster would get (no Azure)",
    )
    .argument("<file>", "policy file (YAML or JSON)")
    .option("--tag <key=value>", "a cluster tag (repeatable)", collectTag, [])
    .option(
      "--subscription <id>",
      "the cluster's subscription",
      "00000000-0000-0000-0000-000000000000",
    )
    .option("--resource-group <name>", "the cluster's resource group", "rg")
    .option(
      "--location <region>",
      'the cluster\'s region ("westeurope" or "West Europe")',
      "eastus",
    )
    .option("--distribution <name>", "properties.distribution (k3s, openshift, eks, ...)")
    .option("--kind <kind>", "kind (ProvisionedCluster for AKS Arc)")
    .option("--name <name>", "the cluster's name", "cluster")
    .option("--output <format>", "table or json", parseOutput, "table")
    .addHelpText(
      "after",
      `\nExample:\n  arc-wi policy check examples/retail-stores.policy.yaml --tag site-type=store --tag store=0042 --tag environment=prod --resource-group rg-stores-east\n${EXIT_CODES_HELP}`,
    )
    .action(async (file: string, flags: PolicyCheckFlags) => {
      for (const [flag, value] of [
        ["--name", flags.name],
        ["--resource-group", flags.resourceGroup],
        ["--location", flags.location],
      ] as const) {
        if (value.trim() === "") throw new CliError(`${flag} must not be empty.`, EXIT.usage);
      }
      let loaded;
      try {
        // The same reader as the app's: size, NUL bytes and UTF-8 are checked before parsing.
        loaded = await loadPolicy({ path: file });
      } catch (e) {
        if (!(e instanceof PolicyValidationError)) throw e;
        printProblems(e, flags.output);
        process.exitCode = EXIT.failure;
        return;
      }
      const facts = {
        id: clusterIdOf(flags.subscription, flags.resourceGroup, flags.name),
        subscriptionId: flags.subscription,
        resourceGroup: flags.resourceGroup,
        name: flags.name,
        // ARM names regions in lower case without spaces ("West Europe" is "westeurope").
        location: flags.location.toLowerCase().replace(/\s+/g, ""),
        tags: Object.fromEntries(flags.tag) as Record<string, string>,
        distribution: flags.distribution,
        kind: flags.kind,
      };
      const evaluation = evaluatePolicy(loaded, facts);
      printEvaluation(loaded.version, evaluation, flags.output);
      process.exitCode =
        evaluation.kind === "selected" && evaluation.problems.length > 0
          ? EXIT.actionRequired
          : EXIT.ok;
    });
}

function collectTag(value: string, previous: [string, string][]): [string, string][] {
  const at = value.indexOf("=");
  if (at <= 0)
    throw new InvalidArgumentError(`--tag takes key=value with a non-empty key, not "${value}".`);
  const key = value.slice(0, at);
  // Azure tag names are case-insensitive: a resource holds one value per name.
  if (previous.some(([k]) => k.toLowerCase() === key.toLowerCase()))
    throw new InvalidArgumentError(`--tag ${key} is given twice; a cluster has one value per tag.`);
  return [...previous, [key, value.slice(at + 1)]];
}

function printProblems(error: PolicyValidationError, output: OutputFormat): void {
  if (output === "json") return printJson({ valid: false, problems: error.problems });
  process.stderr.write(`The policy is not valid (${error.problems.length} problem(s)):\n`);
  for (const p of error.problems) process.stderr.write(`  ${p.path}: ${p.message}\n`);
}

function printEvaluation(
  version: string,
  evaluation: ReturnType<typeof evaluatePolicy>,
  output: OutputFormat,
): void {
  if (output === "json") return printJson({ valid: true, version, evaluation });
  process.stdout.write(`The policy is valid (version ${version}).\n`);
  if (evaluation.kind === "skipped") {
    process.stdout.write(`This cluster gets nothing: ${evaluation.reason}\n`);
    return;
  }
  process.stdout.write(`Profiles: ${evaluation.profiles.join(", ")}\n`);
  printTable(
    ["identity", "scope", "name", "resource group", "location", "service accounts"],
    evaluation.identities.map((i) => [
      i.key,
      i.scope,
      i.name,
      i.resourceGroup,
      i.location,
      i.serviceAccounts.map((s) => `${s.namespace}/${s.name}`).join("\n"),
    ]),
  );
  for (const p of evaluation.problems)
    process.stdout.write(`Problem ${p.code} (${p.identityKey}): ${p.message}\n`);
}
