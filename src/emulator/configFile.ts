/**
 * The `--config` file: a JSON object with an optional "profile" and any part of EmulatorConfig
 * laid over that profile (see examples/emulator-config.json). Unknown keys and wrong types are
 * all listed in one error, so a typo never silently leaves a default in place.
 */
import { readFileSync } from "node:fs";
import {
  isProfileName,
  resolveConfig,
  type DeepPartial,
  type EmulatorConfig,
  type ProfileName,
} from "./config.js";

export interface EmulatorConfigFile {
  profile?: ProfileName;
  config: DeepPartial<EmulatorConfig>;
}

const IGNORED_KEYS = new Set(["$schema", "description"]);

/** Reads and checks a config file. @throws listing every problem with its path. */
export function readConfigFile(path: string): EmulatorConfigFile {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`Cannot read the emulator config file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseConfigFile(value, path);
}

/** Checks a parsed config file object. @throws listing every problem with its path. */
export function parseConfigFile(value: unknown, source = "config"): EmulatorConfigFile {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`The emulator ${source} must be a JSON object.`);
  }
  const { profile, ...rest } = value as Record<string, unknown>;
  const problems: string[] = [];
  if (profile !== undefined && !isProfileName(profile)) {
    problems.push(`profile: ${JSON.stringify(profile)} is not one of realistic, demo, test`);
  }
  const config = Object.fromEntries(Object.entries(rest).filter(([key]) => !IGNORED_KEYS.has(key)));
  compareShape(config, resolveConfig("realistic"), "", problems);
  if (problems.length > 0) {
    throw new Error(
      `The emulator ${source} is not valid:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
  const patch = config as DeepPartial<EmulatorConfig>;
  return isProfileName(profile) ? { profile, config: patch } : { config: patch };
}

function compareShape(value: unknown, template: unknown, path: string, problems: string[]): void {
  if (Array.isArray(template)) {
    if (!Array.isArray(value)) problems.push(`${path}: expected an array`);
    return;
  }
  if (typeof template === "object" && template !== null) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problems.push(`${path}: expected an object`);
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = path === "" ? key : `${path}.${key}`;
      if (!(key in template)) problems.push(`${childPath}: unknown setting`);
      else compareShape(child, (template as Record<string, unknown>)[key], childPath, problems);
    }
    return;
  }
  if (typeof value !== typeof template)
    problems.push(`${path}: expected a ${typeof template}, got ${JSON.stringify(value)}`);
}
