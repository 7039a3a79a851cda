// The real engine for tests: whether test/engine is installed, and llama.cpp's verdict on
// schemas, asked of a child process so the native library stays out of the test workers.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { GRAMMAR_MARKER } from "../llama/converter.js";

export const ENGINE_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const REPO_ROOT = join(ENGINE_ROOT, "../..");

/** Whether node-llama-cpp and its CPU build are installed under test/engine. */
export const engineInstalled =
  existsSync(join(ENGINE_ROOT, "node_modules/node-llama-cpp/package.json")) &&
  existsSync(join(ENGINE_ROOT, "node_modules/@node-llama-cpp/linux-x64/package.json"));

/** Why the engine tests were skipped; CI installs the engine, so there they always run. */
export const ENGINE_SKIP_MESSAGE =
  "engine contract tests skipped: real llama.cpp is not installed here; " +
  "run `npm ci --prefix test/engine --omit=optional` (83 MB, CPU only) to run them";

export interface GrammarVerdict {
  name: string;
  stage: "convert" | "parse";
  ok: boolean;
  compileMs?: number;
  grammarBytes?: number;
  grammarRules?: number;
  grammar?: string;
  /** The converter's complaint, or what llama.cpp's grammar parser printed. */
  error?: string;
}

/** Runs a TypeScript file of test/engine/llama in a child process with tsx. */
export function runEngineScript(
  script: string,
  args: readonly string[],
  stdin: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(ENGINE_ROOT, "llama", script), ...args],
      {
        cwd: REPO_ROOT,
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** llama.cpp's converter and grammar parser on each schema. */
export async function compileGrammars(
  jobs: readonly { name: string; schema: unknown }[],
): Promise<GrammarVerdict[]> {
  const { code, stdout, stderr } = await runEngineScript(
    "compile-grammars.ts",
    [],
    JSON.stringify(jobs),
  );
  if (code !== 0) throw new Error(`compile-grammars exited with ${code}:\n${stderr}`);
  const reasons = splitByMarker(stderr);
  return (JSON.parse(stdout) as GrammarVerdict[]).map((verdict) =>
    verdict.ok || verdict.error ? verdict : { ...verdict, error: reasons.get(verdict.name) ?? "" },
  );
}

function splitByMarker(stderr: string): Map<string, string> {
  const reasons = new Map<string, string>();
  for (const part of stderr.split(`\n${GRAMMAR_MARKER}`).slice(1)) {
    const newline = part.indexOf("\n");
    const name = part.slice(0, newline);
    // llama.cpp prints the reason, then the whole grammar; the reason is what a reader needs.
    const reason =
      part
        .slice(newline + 1)
        .split("\n")
        .find((line) => line.includes("error")) ?? "";
    reasons.set(name, reason.trim());
  }
  return reasons;
}

/** Symphony's two providers, each pointed at the engine server's wire format of the same name. */
export const ENGINE_PROVIDERS = [
  { name: "ollama", env: (url: string) => ({ OLLAMA_HOST: url }) },
  {
    name: "openai",
    env: (url: string) => ({ SYMPHONY_PROVIDER: "openai", OPENAI_BASE_URL: `${url}/v1` }),
  },
] as const;

export type EngineProvider = (typeof ENGINE_PROVIDERS)[number];

export interface EngineServer {
  /** Base URL: Ollama's API at /api, llama-server's at /v1. */
  url: string;
  close(): Promise<void>;
}

/** Starts test/engine/llama/serve.ts: the tiny models behind Ollama's and OpenAI's wire formats. */
export function startEngineServer(): Promise<EngineServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(ENGINE_ROOT, "llama", "serve.ts")],
      { cwd: REPO_ROOT, stdio: ["pipe", "pipe", "pipe"] },
    );
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`the engine server exited (${code}):\n${stderr}`)));
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf("\n");
      if (newline < 0) return;
      const { url } = JSON.parse(stdout.slice(0, newline)) as { url: string };
      resolve({
        url,
        close: () =>
          new Promise<void>((done) => {
            child.removeAllListeners("exit");
            child.on("exit", () => done());
            child.stdin.end();
          }),
      });
    });
  });
}
