// The CLI as `npx symphony` runs it once installed or linked: from any folder, through the bin
// link, with paths read against the folder it was started in.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { answerEveryAgent, MODEL } from "../features/plan/plan-support.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

let server: ModelServer;
let folder: string;

beforeEach(async () => {
  server = await startModelServer({ models: [{ name: MODEL, contextLength: 16_384 }] });
  folder = await mkdtemp(join(tmpdir(), "symphony-installed-"));
});

afterEach(async () => {
  await server.close();
  await rm(folder, { recursive: true, force: true });
});

/** `npx symphony …` in `cwd`: npm's bin link to the package's CLI (its source, run through tsx). */
async function npxSymphony(cwd: string, args: string[]) {
  const bin = join(folder, "node_modules", ".bin", "symphony");
  await mkdir(join(folder, "node_modules", ".bin"), { recursive: true });
  await symlink(join(ROOT, "src", "cli", "main.ts"), bin).catch(() => undefined);
  const env = { PATH: process.env["PATH"], OLLAMA_HOST: server.url, SYMPHONY_MODEL: MODEL };
  return run(process.execPath, ["--import", TSX, bin, ...args], { cwd, env });
}

describe("symphony, installed", () => {
  it("points its bin at the compiled CLI, which starts with a shebang", async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as {
      bin: Record<string, string>;
      version: string;
    };
    // tsconfig.build.json compiles src/ to lib/, so src/cli/main.ts becomes lib/cli/main.js.
    expect(pkg.bin).toEqual({ symphony: "lib/cli/main.js" });
    const source = await readFile(join(ROOT, "src", "cli", "main.ts"), "utf8");
    expect(source.split("\n")[0]).toBe("#!/usr/bin/env node");
  });

  it("plans from another folder, reading the issue and checkout there", async () => {
    answerEveryAgent(server);
    const work = join(folder, "work");
    await mkdir(join(work, "checkout", "src"), { recursive: true });
    await writeFile(join(work, "checkout", "src", "index.ts"), "export {};\n");
    await writeFile(join(work, "issue-3.md"), "# Greet newcomers\n\nSay hello.\n");

    const { stdout } = await npxSymphony(work, ["plan", "issue-3.md", "--repo-dir", "checkout"]);

    expect(stdout).toContain("## Plan: Welcome first-time contributors");
    expect(JSON.stringify(server.chatRequests()[0]!.body?.["messages"])).toContain("src/index.ts");
  });

  it("reads its version from its own package, wherever it is started", async () => {
    const { version } = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as {
      version: string;
    };

    const { stdout } = await npxSymphony(folder, ["--version"]);

    expect(stdout).toBe(`${version}\n`);
  });
});
