// llama.cpp's own JSON Schema → GBNF converter, taken from the llama.cpp source that
// node-llama-cpp ships (its git bundle) and run with python3. It writes the same grammars as the
// C++ `json_schema_to_grammar` that Ollama and llama-server call (llama.cpp keeps the two in step
// with a shared test suite); node-llama-cpp's own `createGrammarForJsonSchema` is a different
// converter and proves nothing about those engines.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const engineRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const bundle = join(engineRoot, "node_modules/node-llama-cpp/llama/gitRelease.bundle");
/** Opens each schema's turn on stderr, where llama.cpp writes why it refused a grammar. */
export const GRAMMAR_MARKER = "@@symphony-grammar ";
const CONVERTER_PATH = "examples/json_schema_to_grammar.py";

/** The converter's path, extracted once per llama.cpp commit into node_modules/.cache. */
export function converterScript(): string {
  const head = execFileSync("git", ["bundle", "list-heads", bundle], { encoding: "utf8" })
    .trim()
    .split(/\s+/)[0]!;
  const cached = join(
    engineRoot,
    "node_modules/.cache/llama.cpp",
    head,
    "json_schema_to_grammar.py",
  );
  if (existsSync(cached)) return cached;
  const repo = mkdtempSync(join(tmpdir(), "llama-cpp-bundle-"));
  try {
    execFileSync("git", ["init", "--quiet", "--bare", repo]);
    execFileSync("git", ["--git-dir", repo, "fetch", "--quiet", bundle, "HEAD"]);
    const text = execFileSync("git", ["--git-dir", repo, "show", `FETCH_HEAD:${CONVERTER_PATH}`], {
      encoding: "utf8",
    });
    mkdirSync(dirname(cached), { recursive: true });
    writeFileSync(cached, text);
    return cached;
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

export type Conversion = { ok: true; grammar: string } | { ok: false; error: string };

/**
 * Mirrors the converter's own main() for a list of schemas in one python process (a python start
 * per schema is slow under pyenv shims and on a busy runner).
 */
const CONVERT_ALL = `
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("json_schema_to_grammar", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
results = []
for schema in json.load(sys.stdin):
    try:
        converter = module.SchemaConverter(prop_order={}, allow_fetch=False, dotall=False, raw_pattern=False)
        converter.visit(converter.resolve_refs(schema, "stdin"), "")
        results.append({"ok": True, "grammar": converter.format_grammar()})
    except Exception as error:
        results.append({"ok": False, "error": repr(error)})
print(json.dumps(results))
`;

/** The GBNF grammars llama.cpp makes of JSON Schemas, or the converter's complaint for each. */
export function schemasToGrammars(script: string, schemas: readonly unknown[]): Conversion[] {
  const result = spawnSync("python3", ["-c", CONVERT_ALL, script], {
    input: JSON.stringify(schemas),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(
      `llama.cpp's json_schema_to_grammar.py failed: ${result.stderr || String(result.error)}`,
    );
  }
  return JSON.parse(result.stdout) as Conversion[];
}

/** Mirrors main() as a long-lived process: one schema per line in, one result per line out. */
const CONVERT_LINES = CONVERT_ALL.replace(
  /results = \[\][\s\S]*$/,
  `for line in sys.stdin:
    try:
        converter = module.SchemaConverter(prop_order={}, allow_fetch=False, dotall=False, raw_pattern=False)
        converter.visit(converter.resolve_refs(json.loads(line), "stdin"), "")
        print(json.dumps({"ok": True, "grammar": converter.format_grammar()}), flush=True)
    except Exception as error:
        print(json.dumps({"ok": False, "error": repr(error)}), flush=True)
`,
);

/** A converter process kept open for a server that converts a schema per request. */
export function startConverter(script: string): {
  convert(schema: unknown): Promise<Conversion>;
  close(): void;
} {
  const child = spawn("python3", ["-c", CONVERT_LINES, script], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const waiting: ((result: Conversion) => void)[] = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    waiting.shift()?.(JSON.parse(line) as Conversion);
  });
  return {
    convert(schema) {
      return new Promise((resolve) => {
        waiting.push(resolve);
        child.stdin.write(`${JSON.stringify(schema)}\n`);
      });
    },
    close: () => child.stdin.end(),
  };
}
