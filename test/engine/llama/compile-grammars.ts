// Compiles JSON Schemas the way llama.cpp does: its converter makes the grammar, its C++ grammar
// parser (through node-llama-cpp's prebuilt CPU library) accepts or refuses it. Reads
// [{ name, schema }] on stdin, writes one result per schema as JSON on stdout. llama.cpp prints
// its reason for a refusal straight to stderr, so each schema's turn there opens with a marker
// line the caller splits on (GRAMMAR_MARKER).
import { writeSync } from "node:fs";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";
import { converterScript, GRAMMAR_MARKER, schemasToGrammars } from "./converter.js";

interface Job {
  name: string;
  schema: unknown;
}

let input = "";
for await (const chunk of process.stdin) input += String(chunk);
const jobs = JSON.parse(input) as Job[];

const conversions = schemasToGrammars(
  converterScript(),
  jobs.map((job) => job.schema),
);
const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
const results = [];
for (const [index, job] of jobs.entries()) {
  writeSync(2, `\n${GRAMMAR_MARKER}${job.name}\n`);
  const converted = conversions[index]!;
  if (!converted.ok) {
    results.push({ name: job.name, stage: "convert", ok: false, error: converted.error });
    continue;
  }
  const started = performance.now();
  let ok = true;
  try {
    await llama.createGrammar({ grammar: converted.grammar });
  } catch {
    ok = false;
  }
  results.push({
    name: job.name,
    stage: "parse",
    ok,
    compileMs: performance.now() - started,
    grammarBytes: converted.grammar.length,
    grammarRules: converted.grammar.split("\n").filter((line) => line.includes("::=")).length,
    grammar: converted.grammar,
  });
}
await llama.dispose();
process.stdout.write(JSON.stringify(results));
