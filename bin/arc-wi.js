#!/usr/bin/env node
// The arc-wi command. Runs the TypeScript sources through tsx, so a fresh clone needs no build.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../src/cli/main.ts");
// Exit explicitly: a stopped demo may leave a lease wait or a poll timer pending.
process.exit(await runCli(process.argv));
