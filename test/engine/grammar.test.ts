// Every reply schema Symphony sends, compiled by llama.cpp's own converter and grammar parser:
// what Ollama and llama-server do with `format` / `response_format` before sampling.
import { beforeAll, describe, expect, it } from "vitest";
import { jsonSchemaFor } from "../../src/runner/structured-output.js";
import { engineSchemaFor } from "../../src/runner/grammar-safe-schema.js";
import { reviewReplySchema } from "../../src/agents/editor/review.js";
import { AGENT_SCHEMAS } from "./support/agent-schemas.js";
import {
  compileGrammars,
  engineInstalled,
  ENGINE_SKIP_MESSAGE,
  type GrammarVerdict,
} from "./support/engine.js";

if (!engineInstalled) console.warn(ENGINE_SKIP_MESSAGE);

describe.skipIf(!engineInstalled)("llama.cpp's grammar of every schema Symphony sends", () => {
  let verdicts: Map<string, GrammarVerdict>;

  beforeAll(async () => {
    const jobs = [
      ...Object.entries(AGENT_SCHEMAS).map(([name, schema]) => ({
        name,
        schema: engineSchemaFor(schema),
      })),
      { name: "full finding schema", schema: jsonSchemaFor(reviewReplySchema) },
    ];
    verdicts = new Map((await compileGrammars(jobs)).map((verdict) => [verdict.name, verdict]));
  }, 60_000);

  it.each(Object.keys(AGENT_SCHEMAS))("llama.cpp accepts the schema of %s", (name) => {
    const verdict = verdicts.get(name)!;
    expect({ name, ok: verdict.ok, error: verdict.error }).toEqual({
      name,
      ok: true,
      error: undefined,
    });
  });

  it("llama.cpp refuses the full finding schema, whose body allows 2000 characters", () => {
    const verdict = verdicts.get("full finding schema")!;
    expect(verdict.ok).toBe(false);
    expect(verdict.error).toMatch(/exceeds sane defaults/);
  });

  it("the grammar still enforces the finding's enums and required keys, title and body first", () => {
    const grammar = verdicts.get("editor: review findings")!.grammar!;
    expect(grammar).toContain('"\\"data-loss\\""');
    expect(grammar).toMatch(
      /findings-item ::= "\{" space findings-item-title-kv "," space findings-item-body-kv "," space findings-item-path-kv/,
    );
    expect(grammar).toMatch(/\{0,19\}/);
  });
});
