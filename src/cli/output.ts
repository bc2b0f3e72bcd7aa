import Table from "cli-table3";
import { InvalidArgumentError } from "commander";
import pc from "picocolors";

import type { ClusterReport } from "../lib/reconcile/contract.js";

/** `--output` values. */
export type OutputFormat = "table" | "json";

/** Parses `--output`, refusing anything else with a usage error message. */
export function parseOutput(value: string): OutputFormat {
  if (value === "table" || value === "json") return value;
  throw new InvalidArgumentError(`--output must be "table" or "json", not "${value}".`);
}

/** Colours only on a TTY (and never with NO_COLOR). */
export const colours = pc.createColors(process.stdout.isTTY === true && !process.env.NO_COLOR);

/** Prints a table with a header row. */
export function printTable(head: string[], rows: string[][]): void {
  const table = new Table({
    head,
    style: { head: process.stdout.isTTY ? ["cyan"] : [], border: [] },
  });
  table.push(...rows);
  process.stdout.write(`${table.toString()}\n`);
}

/** Prints JSON (for scripts). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** One row per cluster: the summary table of sync and demo. */
export function printReportSummary(reports: ClusterReport[]): void {
  const rows = reports.map((r) => [
    r.clusterName,
    r.distribution ?? "",
    colourStatus(r.status),
    r.identities
      .filter((i) => !i.problem)
      .map((i) => i.name)
      .join("\n"),
    r.identities
      .filter((i) => !i.problem)
      .map((i) => i.clientId ?? "-")
      .join("\n"),
    wrap(r.error?.message ?? r.nextSteps[0] ?? ""),
  ]);
  printTable(["cluster", "distribution", "status", "identities", "client ids", "next step"], rows);
}

/** The actions of reports, one row each, for `plan`. */
export function printActions(reports: ClusterReport[]): void {
  const rows = reports.flatMap((r) =>
    r.actions.length === 0
      ? [[r.clusterName, "-", "", wrap(r.error?.message ?? "no changes"), r.status]]
      : r.actions.map((a) => [
          r.clusterName,
          a.kind,
          shortTarget(a.target),
          wrap(a.reason),
          a.outcome,
        ]),
  );
  printTable(["cluster", "action", "target", "reason", "outcome"], rows);
}

function colourStatus(status: ClusterReport["status"]): string {
  if (status === "Converged") return colours.green(status);
  if (status === "Failed") return colours.red(status);
  if (status === "ActionRequired") return colours.yellow(status);
  return status;
}

function shortTarget(id: string): string {
  return id.split("/providers/").slice(-1)[0] ?? id;
}

function wrap(text: string, width = 60): string {
  const words = text
    .split(" ")
    .flatMap((w) => (w.length > width ? (w.match(new RegExp(`.{1,${width}}`, "g")) ?? [w]) : [w]));
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join("\n");
}
