// `npm run bench engine`: per agent, what real llama.cpp makes of its reply schema (grammar size,
// compile time) and the output tokens the tiny test model needed under that grammar, through
// Symphony's Ollama provider. Needs test/engine installed (`npm ci --prefix test/engine
// --omit=optional`).
import { createModelRuntime, loadRuntimeSettings } from "../src/runner/index.js";
import { engineSchemaFor } from "../src/runner/grammar-safe-schema.js";
import { AGENT_SCHEMAS } from "../test/engine/support/agent-schemas.js";
import {
  compileGrammars,
  engineInstalled,
  ENGINE_SKIP_MESSAGE,
  startEngineServer,
} from "../test/engine/support/engine.js";
import type { BenchResult } from "./types.js";

export default async function engineBench(): Promise<BenchResult> {
  if (!engineInstalled) return { title: "skipped", rows: [], notes: [ENGINE_SKIP_MESSAGE] };
  const names = Object.keys(AGENT_SCHEMAS);
  const verdicts = await compileGrammars(
    names.map((name) => ({ name, schema: engineSchemaFor(AGENT_SCHEMAS[name]!) })),
  );
  const engine = await startEngineServer();
  const rows: Record<string, string | number>[] = [];
  try {
    const runtime = createModelRuntime(
      loadRuntimeSettings({
        OLLAMA_HOST: engine.url,
        SYMPHONY_MODEL: "tiny",
        SYMPHONY_NUM_CTX_MAX: "8192",
        SYMPHONY_MAX_OUTPUT_TOKENS: "512",
        SYMPHONY_MAX_REPAIRS: "0",
      }),
    );
    for (const verdict of verdicts) {
      const outcome = await runtime
        .generateObject({
          agent: verdict.name,
          promptVersion: "bench@1",
          messages: [{ role: "user", content: "Do your step for issue #13." }],
          schema: AGENT_SCHEMAS[verdict.name]!,
        })
        .then(
          ({ usage }) => ({ tokens: usage.outputTokens, ms: usage.wallMs, result: "valid" }),
          (error: unknown) => ({ tokens: 0, ms: 0, result: String(error).slice(0, 60) }),
        );
      rows.push({
        agent: verdict.name,
        accepted: verdict.ok ? "yes" : `no: ${verdict.error ?? ""}`,
        "grammar bytes": verdict.grammarBytes ?? 0,
        "grammar rules": verdict.grammarRules ?? 0,
        "compile ms": Number((verdict.compileMs ?? 0).toFixed(2)),
        "output tokens": outcome.tokens,
        "reply ms": Math.round(outcome.ms),
        reply: outcome.result,
      });
    }
  } finally {
    await engine.close();
  }
  return {
    title: "every reply schema on real llama.cpp (node-llama-cpp 3.21.1, CPU, tiny random model)",
    rows,
    notes: [
      "accepted: llama.cpp's json_schema_to_grammar.py and its C++ grammar parser took the grammar-safe schema",
      "output tokens: what the tiny test model sampled under the grammar (noise, but bounded by the schema)",
    ],
  };
}
