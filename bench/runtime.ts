// The model runtime's own cost per call, against the scripted server answering at once.
//
// Baseline: a raw fetch of the same /api/chat (or /v1/chat/completions) request, body read to the
// end, against the same in-process server. Both pay the server's and the socket's cost, so
// "added" is what the runtime itself spends: request building, the ollama/openai client, NDJSON or
// SSE parsing, context sizing, the host queue, the deadline, usage records. Runs alternate
// between runtime and baseline so both see the same machine state.
import { performance } from "node:perf_hooks";
import { z } from "zod";
import {
  createModelRuntime,
  loadRuntimeSettings,
  type SymphonyRuntime,
} from "../src/runner/index.js";
import {
  jsonSchemaFor,
  parseReply,
  withSchemaInstruction,
} from "../src/runner/structured-output.js";
import type { ChatMessage } from "../src/runner/types.js";
import { startModelServer, type ModelServer } from "../test/support/model-server.js";
import type { BenchResult } from "./types.js";

const MODEL = "qwen2.5-coder:14b";
const CALLS = 2000;
const WARMUP = 200;
const CONCURRENT = 8;
const GOAL_P99_MS = 2;

/** ~200 characters streamed in 16-character chunks, as a short model reply arrives. */
const REPLY = JSON.stringify({
  title: "Cache the parsed config",
  summary: "Parse .github/symphony.yml once per installation and reuse it across events.",
  risk: "low",
});
const Reply = z.object({
  title: z.string(),
  summary: z.string(),
  risk: z.enum(["low", "medium", "high"]),
});

const messages: ChatMessage[] = [
  { role: "system", content: "You plan GitHub issues for a TypeScript repository." },
  { role: "user", content: "Issue #42: the config is parsed on every webhook. Plan a fix." },
];

interface Samples {
  runtime: number[];
  baseline: number[];
  runtimeWallMs: number;
  baselineWallMs: number;
}

type Api = "ollama" | "openai";

export default async function runtimeBench(): Promise<BenchResult> {
  const server = await startModelServer({
    models: [{ name: MODEL, contextLength: 32768 }],
    chunkSize: 16,
  });
  server.respond(() => ({ content: REPLY }));
  try {
    const rows: Record<string, string | number>[] = [];
    const details: Record<string, unknown> = {};
    for (const [label, api, concurrency, structured] of [
      ["ollama generateText, 1 at a time", "ollama", 1, false],
      ["ollama generateObject, 1 at a time", "ollama", 1, true],
      ["ollama generateText, 8 concurrent", "ollama", CONCURRENT, false],
      ["openai generateText, 1 at a time", "openai", 1, false],
      ["openai generateText, 8 concurrent", "openai", CONCURRENT, false],
    ] as const) {
      const samples = await measure(server, api, concurrency, structured);
      rows.push(callRow(label, samples));
      details[label] = summary(samples);
    }
    rows.push(validationRow());
    const worst = Math.max(...rows.map((row) => Number(row["added p99 ms"] ?? 0)));
    return {
      title: "model runtime overhead per call (scripted server answering at once)",
      rows,
      notes: [
        `goal: added p99 under ${GOAL_P99_MS} ms per call — ${worst < GOAL_P99_MS ? "met" : "MISSED"} (worst row ${worst.toFixed(3)} ms)`,
        "added = runtime percentile minus baseline percentile; baseline = raw fetch of the same request, body read to the end",
        `${CALLS} calls per row after ${WARMUP} warm-up calls; concurrent rows run ${CONCURRENT} callers with SYMPHONY_MODEL_CONCURRENCY=${CONCURRENT}`,
        "the server runs in the same process, so its cost is in both runtime and baseline and cancels out",
      ],
      details,
    };
  } finally {
    await server.close();
  }
}

async function measure(
  server: ModelServer,
  api: Api,
  concurrency: number,
  structured: boolean,
): Promise<Samples> {
  const runtime = runtimeFor(server, api, concurrency);
  const request = { agent: "bench", promptVersion: "bench@1", messages };
  const runtimeCall = structured
    ? () => runtime.generateObject({ ...request, schema: Reply })
    : () => runtime.generateText(request);
  const wire = wireRequest(server, api, structured);
  const baselineCall = async () => {
    const response = await fetch(wire.url, wire.init);
    await response.text();
  };
  await rounds(WARMUP, concurrency, runtimeCall, baselineCall);
  return rounds(CALLS, concurrency, runtimeCall, baselineCall);
}

/** Runs `calls` of each kind, alternating in batches of `concurrency` parallel calls. */
async function rounds(
  calls: number,
  concurrency: number,
  runtimeCall: () => Promise<unknown>,
  baselineCall: () => Promise<unknown>,
): Promise<Samples> {
  const samples: Samples = { runtime: [], baseline: [], runtimeWallMs: 0, baselineWallMs: 0 };
  for (let done = 0; done < calls; done += concurrency) {
    samples.runtimeWallMs += await batch(concurrency, runtimeCall, samples.runtime);
    samples.baselineWallMs += await batch(concurrency, baselineCall, samples.baseline);
  }
  return samples;
}

async function batch(size: number, call: () => Promise<unknown>, into: number[]): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: size }, async () => {
      const begin = performance.now();
      await call();
      into.push(performance.now() - begin);
    }),
  );
  return performance.now() - started;
}

function runtimeFor(server: ModelServer, api: Api, concurrency: number): SymphonyRuntime {
  const env: NodeJS.ProcessEnv =
    api === "ollama"
      ? { OLLAMA_HOST: server.url }
      : { SYMPHONY_PROVIDER: "openai", OPENAI_BASE_URL: `${server.url}/v1` };
  return createModelRuntime(
    loadRuntimeSettings({
      ...env,
      SYMPHONY_MODEL: MODEL,
      SYMPHONY_MODEL_CONCURRENCY: String(concurrency),
    }),
  );
}

/** The request the runtime sends, for the baseline to send by hand. */
function wireRequest(
  server: ModelServer,
  api: Api,
  structured: boolean,
): { url: string; init: RequestInit } {
  const schema = structured ? jsonSchemaFor(Reply) : undefined;
  const sent = schema ? withSchemaInstruction(messages, schema) : messages;
  const body =
    api === "ollama"
      ? {
          model: MODEL,
          messages: sent,
          stream: true,
          ...(schema ? { format: schema } : {}),
          keep_alive: "30m",
          options: { num_ctx: 8192, num_predict: 4096, temperature: 0.2 },
        }
      : {
          model: MODEL,
          messages: sent,
          stream: true,
          stream_options: { include_usage: true },
          max_tokens: 4096,
          temperature: 0.2,
        };
  const url = api === "ollama" ? `${server.url}/api/chat` : `${server.url}/v1/chat/completions`;
  return {
    url,
    init: {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    },
  };
}

function callRow(label: string, samples: Samples): Record<string, string | number> {
  const calls = samples.runtime.length;
  return {
    case: label,
    "runtime p50 ms": round(percentile(samples.runtime, 50)),
    "runtime p99 ms": round(percentile(samples.runtime, 99)),
    "baseline p50 ms": round(percentile(samples.baseline, 50)),
    "baseline p99 ms": round(percentile(samples.baseline, 99)),
    "added p50 ms": round(percentile(samples.runtime, 50) - percentile(samples.baseline, 50)),
    "added p99 ms": round(percentile(samples.runtime, 99) - percentile(samples.baseline, 99)),
    "calls/s": Math.round((calls / samples.runtimeWallMs) * 1000),
    "baseline calls/s": Math.round((samples.baseline.length / samples.baselineWallMs) * 1000),
  };
}

/** JSON.parse plus zod validation of a ~20 KB reply: the structured-output cost per call. */
function validationRow(): Record<string, string | number> {
  const Plan = z.object({
    title: z.string(),
    tasks: z.array(
      z.object({
        id: z.number().int(),
        title: z.string(),
        files: z.array(z.string()),
        done: z.boolean(),
        detail: z.string(),
      }),
    ),
  });
  const tasks = Array.from({ length: 84 }, (_, index) => ({
    id: index,
    title: `Task ${index}: move the config cache behind an interface`,
    files: [`src/config/cache-${index}.ts`, `test/config/cache-${index}.test.ts`],
    done: index % 2 === 0,
    detail: "Keep the parsed config per installation and drop it on a push to the default branch.",
  }));
  const text = JSON.stringify({ title: "Cache the parsed config", tasks });
  const timings: number[] = [];
  for (let run = 0; run < 1200; run++) {
    const begin = performance.now();
    const parsed = parseReply(text, Plan);
    const elapsed = performance.now() - begin;
    if (!parsed.ok) throw new Error(`bench reply failed validation: ${parsed.issues.join("; ")}`);
    if (run >= 200) timings.push(elapsed);
  }
  return {
    case: `parse + validate a ${(text.length / 1024).toFixed(1)} KB reply`,
    "runtime p50 ms": round(percentile(timings, 50)),
    "runtime p99 ms": round(percentile(timings, 99)),
    "added p50 ms": round(percentile(timings, 50)),
    "added p99 ms": round(percentile(timings, 99)),
    "calls/s": Math.round(1000 / mean(timings)),
  };
}

function summary(samples: Samples): Record<string, number> {
  return {
    calls: samples.runtime.length,
    runtimeMeanMs: round(mean(samples.runtime)),
    baselineMeanMs: round(mean(samples.baseline)),
    runtimeMaxMs: round(Math.max(...samples.runtime)),
    baselineMaxMs: round(Math.max(...samples.baseline)),
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

function mean(values: number[]): number {
  return values.reduce((total, value) => total + value, 0) / values.length;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
