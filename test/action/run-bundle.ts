// Runs the committed bundle (dist/index.js) the way the Actions runner does: a child process with
// INPUT_* variables, the event file, and files for outputs and the job summary.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const BUNDLE = fileURLToPath(new URL("../../dist/index.js", import.meta.url));

export interface BundleRun {
  eventName: string;
  payload: unknown;
  inputs: Record<string, string>;
  /** More variables (GITHUB_API_URL, GITHUB_REPOSITORY…). */
  env?: Record<string, string>;
}

export interface BundleResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** GITHUB_OUTPUT parsed into name → value. */
  outputs: Record<string, string>;
  /** The job summary's HTML. */
  summary: string;
  /** `::error::` lines, without the command. */
  errors: string[];
}

export async function runBundle(run: BundleRun): Promise<BundleResult> {
  const dir = await mkdtemp(join(tmpdir(), "symphony-action-"));
  const eventPath = join(dir, "event.json");
  const outputPath = join(dir, "output");
  const summaryPath = join(dir, "summary.md");
  await writeFile(eventPath, JSON.stringify(run.payload));
  await writeFile(outputPath, "");
  await writeFile(summaryPath, "");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env["PATH"],
    HOME: process.env["HOME"],
    GITHUB_EVENT_NAME: run.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_RUN_ID: "4242",
    GITHUB_RUN_ATTEMPT: "1",
    ...run.env,
  };
  for (const [name, value] of Object.entries(run.inputs)) {
    env[`INPUT_${name.toUpperCase()}`] = value;
  }
  const child = spawn(process.execPath, [BUNDLE], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputs(await readFile(outputPath, "utf8")),
    summary: await readFile(summaryPath, "utf8"),
    errors: stdout
      .split("\n")
      .filter((line) => line.startsWith("::error::"))
      .map((line) => line.slice("::error::".length)),
  };
}

/** The runner's file format: `name<<DELIMITER`, the value's lines, `DELIMITER`. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[index]!);
    if (match === null) continue;
    const [, name = "", delimiter] = match;
    const value: string[] = [];
    while (++index < lines.length && lines[index] !== delimiter) value.push(lines[index]!);
    outputs[name] = value.join("\n");
  }
  return outputs;
}
