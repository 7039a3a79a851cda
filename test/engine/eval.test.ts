// `npm run eval` on real llama.cpp: the harness runs plan, review and implement cases through
// Symphony's own pipelines against the engine server (the tiny model, whose answers are noise),
// and reports every case, scored or with the pipeline's error, in JSON and Markdown. The scores
// mean nothing here; what is checked is that the harness survives a real engine's replies (cut
// off, off-schema, empty) and accounts for every case.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCases, runEval } from "../../eval/harness.js";
import type { EvalReport } from "../../eval/report.js";
import { createModelRuntime, loadRuntimeSettings } from "../../src/runner/index.js";
import { recordingLogger } from "../runner/runtime-fixture.js";
import {
  ENGINE_PROVIDERS,
  engineInstalled,
  ENGINE_SKIP_MESSAGE,
  startEngineServer,
  type EngineServer,
} from "./support/engine.js";

if (!engineInstalled) console.warn(ENGINE_SKIP_MESSAGE);

/** One of the smallest cases of each kind, so the run stays short on a CPU. */
const CASE_IDS = [
  "more-itertools-plan-ddc0d86",
  "more-itertools-review-adeda34",
  "path-to-regexp-implement-9e03f85",
];

describe.skipIf(!engineInstalled)("npm run eval against real llama.cpp", () => {
  let engine: EngineServer;
  let outDir: string;
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/^127\.0\.0\.1(:\d+)?$/);
    engine = await startEngineServer();
    outDir = await mkdtemp(join(tmpdir(), "symphony-eval-engine-"));
  }, 30_000);
  afterAll(async () => {
    await engine?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
    nock.enableNetConnect();
  });

  it("runs plan, review and implement cases through their pipelines and reports every one", async () => {
    const cases = await loadCases(undefined, CASE_IDS);
    expect(cases.map((item) => item.id).sort()).toEqual([...CASE_IDS].sort());
    const runtime = createModelRuntime(
      loadRuntimeSettings({
        ...ENGINE_PROVIDERS[0].env(engine.url),
        SYMPHONY_MODEL: "tiny",
        // The tiny model counts about one token per byte, three times Symphony's estimate: these
        // small cases' prompts fit a 16k window whole, and the answers stay short.
        SYMPHONY_NUM_CTX_MAX: "16384",
        SYMPHONY_MAX_OUTPUT_TOKENS: "256",
        SYMPHONY_MAX_REPAIRS: "0",
        SYMPHONY_MODEL_RETRIES: "0",
      }),
      { logger: recordingLogger(), backoff: () => 0 },
    );
    const seen: string[] = [];

    const { report, files } = await runEval({
      cases,
      runtime,
      model: "tiny",
      host: engine.url,
      outDir,
      onResult: (result) => seen.push(result.id),
    });

    expect(seen).toEqual(cases.map((item) => item.id));
    expect(report.results.map((result) => result.id)).toEqual(seen);
    for (const result of report.results) {
      // Scored, or failed with the pipeline's own sentence: never both, never neither.
      expect(result.score === undefined).toBe(result.error !== undefined);
      if (result.error !== undefined) {
        expect(result.error).not.toMatch(/\n\s+at \S+ \(|\[object Object\]/);
      }
    }
    // Every case reached the engine at least once (its prompt was evaluated).
    const reached = report.results.filter(
      (result) => result.promptTokens > 0 || result.error !== undefined,
    );
    expect(reached).toHaveLength(CASE_IDS.length);
    expect(report.summary.map((row) => [row["agent"], row["cases"]])).toEqual([
      ["plan (Enhancer → Visualizer)", 1],
      ["review (Editor findings)", 1],
      ["implement (Editor edits)", 1],
      ["total", 3],
    ]);
    expect(Object.keys(report.promptVersions)).toEqual(expect.arrayContaining(["editor"]));

    const written = JSON.parse(await readFile(files.json, "utf8")) as EvalReport;
    expect(written.results).toHaveLength(CASE_IDS.length);
    const markdown = await readFile(files.markdown, "utf8");
    expect(markdown).toContain("# Symphony eval: tiny");
    for (const id of CASE_IDS) expect(markdown).toContain(id);
  }, 60_000);
});
