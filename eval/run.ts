// `npm run eval -- [--cases a,b] [--model m] [--repeat n]`: the real pipelines on real cases
// against the configured model host; `npm run eval -- --compare a.json b.json` sets two runs side by side.
import { readFile } from "node:fs/promises";
import {
  createModelRuntime,
  DEFAULT_MODEL,
  DEFAULT_OLLAMA_HOST,
  loadRuntimeSettings,
} from "../src/runner/index.js";
import { loadCases, runEval } from "./harness.js";
import { caseRows, compareReports, type EvalReport } from "./report.js";
import { caseValue } from "./score.js";

const USAGE = `npm run eval -- [--cases plan,review,implement,<id part>,…] [--model <name>] [--repeat <n>] [--out <folder>]
npm run eval -- --compare <before.json> <after.json>`;

interface Flags {
  cases: string[];
  model?: string;
  repeat: number;
  out?: string;
  compare?: [string, string];
}

function parseFlags(args: readonly string[]): Flags | string {
  const flags: Flags = { cases: [], repeat: 1 };
  for (let i = 0; i < args.length; i++) {
    const [name, inline] = args[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = (): string | undefined => inline ?? args[++i];
    if (name === "--cases") flags.cases.push(...(value() ?? "").split(",").filter(Boolean));
    else if (name === "--model") flags.model = value();
    else if (name === "--out") flags.out = value();
    else if (name === "--repeat") {
      flags.repeat = Number(value());
      if (!Number.isInteger(flags.repeat) || flags.repeat < 1)
        return "--repeat needs a whole number ≥ 1";
    } else if (name === "--compare") {
      const before = args[++i];
      const after = args[++i];
      if (!before || !after) return "--compare needs two report files";
      flags.compare = [before, after];
    } else return `unknown option ${name}`;
  }
  return flags;
}

async function compare([before, after]: [string, string]): Promise<void> {
  const read = async (path: string) => JSON.parse(await readFile(path, "utf8")) as EvalReport;
  const { rows, changed } = compareReports(await read(before), await read(after));
  console.table(rows);
  if (changed.length > 0) console.table(changed);
  else console.log("No case changed its value.");
}

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2));
  if (typeof flags === "string") {
    console.error(`${flags}\n\n${USAGE}`);
    return 2;
  }
  if (flags.compare) {
    await compare(flags.compare);
    return 0;
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...(flags.model ? { SYMPHONY_MODEL: flags.model } : {}),
  };
  const settings = loadRuntimeSettings(env);
  const runtime = createModelRuntime(settings);
  const cases = await loadCases(undefined, flags.cases);
  if (cases.length === 0) {
    console.error(`no case matches --cases ${flags.cases.join(",")}`);
    return 2;
  }
  const openai = env.SYMPHONY_PROVIDER === "openai";
  const model = env.SYMPHONY_MODEL ?? DEFAULT_MODEL;
  const host = (openai ? env.OPENAI_BASE_URL : env.OLLAMA_HOST) ?? DEFAULT_OLLAMA_HOST;
  console.error(`${cases.length} case(s) × ${flags.repeat} against ${model} at ${host}`);
  const { report, files } = await runEval({
    cases,
    runtime,
    model,
    host,
    repeat: flags.repeat,
    ...(flags.out ? { outDir: flags.out } : {}),
    onResult: (result) => {
      const [line] = caseRows([result]);
      console.error(
        `${caseValue(result) >= 1 ? "✓" : caseValue(result) > 0 ? "~" : "✗"} ${result.id} #${result.run}: ${line?.["outcome"] ?? ""}`,
      );
    },
  });
  console.table(report.summary);
  console.log(`→ ${files.json}\n→ ${files.markdown}`);
  return 0;
}

process.exitCode = await main();
