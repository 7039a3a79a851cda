// Whether an implement case's edited files parse and its tests pass, in a scratch folder.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { syntaxErrors } from "../src/editing/verify.js";

/** Test runs longer than this count as failed: a case's own tests take seconds. */
const TEST_TIMEOUT_MS = 120_000;
const PYTHON_PARSE = "import ast, sys; ast.parse(sys.stdin.read(), sys.argv[1])";

interface Run {
  ok: boolean;
  output: string;
}

function run(
  command: string,
  args: string[],
  options: { cwd?: string; input?: string },
): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      { cwd: options.cwd, timeout: TEST_TIMEOUT_MS, maxBuffer: 8 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ ok: error === null, output: `${stdout}${stderr}` }),
    );
    child.stdin?.end(options.input ?? "");
  });
}

/** The first syntax error of a file, or undefined when it parses; languages without a parser here pass. */
export async function syntaxProblem(path: string, text: string): Promise<string | undefined> {
  if (path.endsWith(".py")) {
    const result = await run("python3", ["-c", PYTHON_PARSE, path], { input: text });
    return result.ok ? undefined : lastLines(result.output, 3);
  }
  if (/\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/.test(path)) {
    return (await syntaxErrors(path, text))[0];
  }
  return undefined;
}

/** Writes the files to a scratch folder and runs the command there; the folder is removed after. */
export async function runTests(
  files: Record<string, string>,
  command: readonly string[],
): Promise<Run> {
  const dir = await mkdtemp(join(tmpdir(), "symphony-eval-"));
  try {
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    }
    const [program = "", ...args] = command;
    const result = await run(program, args, { cwd: dir });
    return { ok: result.ok, output: lastLines(result.output, 12) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split("\n").slice(-count).join("\n");
}
