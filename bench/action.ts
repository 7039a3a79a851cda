// The Action's cold start: `node dist/index.js` from spawn to its first GitHub request (the
// settings read, the model host checked against the scripted Ollama server), and the bundle's size.
import { spawn } from "node:child_process";
import { stat, mkdtemp, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startModelServer } from "../test/support/model-server.js";
import type { BenchResult } from "./types.js";

const BUNDLE = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const RUNS = 9;
const GOAL_MS = 500;
const GOAL_MB = 5;

export default async function bench(): Promise<BenchResult> {
  const bytes = (await stat(BUNDLE)).size;
  const ollama = await startModelServer();
  let firstRequest: (() => void) | undefined;
  const github = createServer((_req, res) => {
    firstRequest?.();
    res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => github.listen(0, "127.0.0.1", resolve));
  const apiUrl = `http://127.0.0.1:${(github.address() as AddressInfo).port}`;
  const dir = await mkdtemp(join(tmpdir(), "symphony-action-bench-"));
  const eventPath = join(dir, "event.json");
  await writeFile(
    eventPath,
    JSON.stringify({
      action: "created",
      issue: { number: 1 },
      comment: { id: 1, body: "/symphony help", user: { login: "octocat", type: "User" } },
      repository: { full_name: "octo/repo", name: "repo", owner: { login: "octo" } },
      sender: { login: "octocat", type: "User" },
    }),
  );
  const samples: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      samples.push(
        await coldStart(
          {
            GITHUB_EVENT_NAME: "issue_comment",
            GITHUB_EVENT_PATH: eventPath,
            GITHUB_API_URL: apiUrl,
            "INPUT_GITHUB-TOKEN": "ghs_bench",
            "INPUT_OLLAMA-HOST": ollama.url,
            "INPUT_WAIT-FOR-OLLAMA": "0",
          },
          (resolve) => (firstRequest = resolve),
        ),
      );
    }
  } finally {
    github.close();
    await ollama.close();
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const megabytes = bytes / 1024 / 1024;
  return {
    title: `cold start of dist/index.js to its first GitHub request (median of ${RUNS}) and bundle size`,
    rows: [
      {
        "median ms": Math.round(median),
        "min ms": Math.round(sorted[0]!),
        "max ms": Math.round(sorted.at(-1)!),
        "bundle MB": Number(megabytes.toFixed(2)),
      },
    ],
    notes: [
      `cold start goal < ${GOAL_MS} ms: ${median < GOAL_MS ? "met" : "missed"} (${Math.round(median)} ms)`,
      `bundle goal < ${GOAL_MB} MB: ${megabytes < GOAL_MB ? "met" : "missed"} (${megabytes.toFixed(2)} MB)`,
    ],
    details: { samplesMs: samples, bytes },
  };
}

/** Milliseconds from spawning the bundle to its first request; the process is killed then. */
async function coldStart(
  env: Record<string, string>,
  onFirstRequest: (resolve: () => void) => void,
): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [BUNDLE], {
    env: { PATH: process.env["PATH"], ...env },
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const reached = await Promise.race([
    new Promise<number>((resolve) => onFirstRequest(() => resolve(performance.now()))),
    exited.then(() => undefined),
  ]);
  child.kill();
  await exited;
  if (reached === undefined) throw new Error("the bundle exited before it made a GitHub request");
  return reached - started;
}
