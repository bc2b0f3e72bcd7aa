#!/usr/bin/env node
// The arc-wi command. Runs the TypeScript sources through tsx, so a fresh clone needs no build.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../src/cli/main.ts");
process.exitCode = await runCli(process.argv);
