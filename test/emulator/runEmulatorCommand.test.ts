import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const REPO = new URL("../..", import.meta.url).pathname;

describe("runEmulatorCommand", () => {
  it("prints one listening line, serves until SIGTERM, then stops cleanly and writes its state", async () => {
    const dir = mkdtempSync(join(tmpdir(), "arc-wi-cli-"));
    const script = `import { runEmulatorCommand } from "./src/emulator/runEmulatorCommand.ts";
      await runEmulatorCommand({ profile: "test", seed: "examples/fleet.json", state: ${JSON.stringify(join(dir, "state.json"))} });`;
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes("\n")) resolve(stdout.split("\n")[0]!);
      });
      child.on("exit", (code) => reject(new Error(`exited ${code} before listening: ${stderr}`)));
    });
    expect(line).toMatch(
      /^ARM emulator listening on https:\/\/127\.0\.0\.1:\d+ \(CA: .+emulator-ca\.pem\)$/,
    );
    expect(stderr).toContain("not Azure");

    const exit = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
    expect(stdout.trim().split("\n")).toHaveLength(1);
    expect(existsSync(join(dir, "state.json"))).toBe(true);
  });
});
