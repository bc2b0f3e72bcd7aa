/**
 * The command lines of `npm run bench` and `npm run chaos`: defaults, and bad usage refused
 * with what to give (commander's errors, which the entries turn into exit code 2) before
 * anything starts.
 */
import { CommanderError } from "commander";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { parseBenchOptions } from "../../bench/benchOptions.js";
import { parseChaosOptions } from "../../bench/chaos/chaosOptions.js";

let stderr: string[];

beforeEach(() => {
  stderr = [];
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stdout, "write").mockImplementation(() => true);
});

afterEach(() => vi.restoreAllMocks());

function refusal(parse: () => unknown): { code: string; message: string } {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(CommanderError);
    return { code: (error as CommanderError).code, message: stderr.join("") };
  }
  throw new Error("expected a usage error");
}

describe("parseBenchOptions", () => {
  it("runs 1,000 clusters at a time scale that fits the fleet's budget in ~110 s", () => {
    const options = parseBenchOptions([]);

    expect(options).toMatchObject({
      quick: false,
      clusters: 1000,
      timeScale: 37,
      out: "bench/results.json",
      writeLimit: { burst: 200, perSecond: 10 },
      chargeCredentialWritesToIdentity: true,
    });
  });

  it("runs 20 clusters with --quick and takes every option", () => {
    expect(parseBenchOptions(["--quick"])).toMatchObject({ clusters: 20, coldStartRepeats: 1 });
    expect(
      parseBenchOptions([
        "--clusters=50",
        "--time-scale",
        "2.5",
        "--engine-write-burst",
        "20",
        "--engine-writes-per-second",
        "0.5",
        "--uncharged-credential-writes",
      ]),
    ).toMatchObject({
      clusters: 50,
      timeScale: 2.5,
      writeLimit: { burst: 20, perSecond: 0.5 },
      chargeCredentialWritesToIdentity: false,
    });
  });

  it("derives a time scale of at most 1000 for a large --quick fleet", () => {
    expect(parseBenchOptions(["--quick", "--clusters", "100000"]).timeScale).toBe(1000);
  });

  it.each([
    [["--clusters", "0"], /'--clusters <n>' argument '0' is invalid\. Give a whole number from 1/],
    [["--clusters", "1.5"], /Give a whole number/],
    [["--clusters", ""], /Give a whole number/],
    [["--time-scale", "-1"], /'--time-scale <t>'.*Give a number from 1 to 1000, such as 2\.5/],
    [["--time-scale", "Infinity"], /Give a number from 1 to 1000/],
    [["--time-scale", "0.001"], /Give a number from 1 to 1000/],
    [["--clusters", "1e3"], /Give a whole number from 1 to 100000/],
    [["--clusters", "0x10"], /Give a whole number/],
    [["--engine-write-burst", "x"], /'--engine-write-burst <n>'.*Give a whole number/],
    [["--engine-writes-per-second", "0"], /Give a number from 0.01 to 100000/],
    [["--out", "/nonexistent-folder/r.json"], /It cannot be written \(ENOENT\)/],
    [["--out", "bench"], /It is a folder: give a file path/],
    [["--out", ""], /Give a file path \(not empty, not ending in \/\)/],
    [["--out", "new-folder/"], /Give a file path/],
    [["--out", "package.json/r.json"], /It cannot be written \(ENOTDIR\)/],
    [["--bogus"], /unknown option '--bogus'/],
    [["results.json"], /too many arguments/],
  ])("refuses %j, naming the option and what to give", (argv, message) => {
    const { code, message: printed } = refusal(() => parseBenchOptions(argv));

    expect(code).not.toBe("commander.helpDisplayed");
    expect(printed).toMatch(message);
    expect(printed).toContain("--help");
  });

  it("answers --help with every option", () => {
    expect(refusal(() => parseBenchOptions(["--help"])).code).toBe("commander.helpDisplayed");
  });
});

describe("parseChaosOptions", () => {
  it("runs seed 7 over 60 clusters with 10 kills, or 12 and 3 with --quick", () => {
    expect(parseChaosOptions([])).toMatchObject({ seed: 7, clusters: 60, deletes: 6, kills: 10 });
    expect(parseChaosOptions(["--quick", "--seed", "42"])).toMatchObject({
      seed: 42,
      clusters: 12,
      deletes: 2,
      kills: 3,
    });
  });

  it("deletes at most half of a small fleet", () => {
    expect(parseChaosOptions(["--clusters", "3"])).toMatchObject({ clusters: 3, deletes: 1 });
  });

  it.each([
    [["--seed", "-1"], /'--seed <n>'.*Give a whole number from 0 to 4294967295/],
    [["--seed", "abc"], /Give a whole number/],
    [["--clusters", "1"], /Give a whole number from 2 to 1000/],
    [["--kills", "2.5"], /'--kills <n>'.*Give a whole number from 0 to 100/],
    [["--worker-log", "/nonexistent-folder/w.log"], /It cannot be written \(ENOENT\)/],
    [["--worker-log", ""], /Give a file path/],
    [["--faults", "0.5"], /unknown option '--faults'/],
  ])("refuses %j, naming the option and what to give", (argv, message) => {
    expect(refusal(() => parseChaosOptions(argv)).message).toMatch(message);
  });
});
