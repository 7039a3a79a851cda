// The eval harness end to end on three real cases, one per kind, against the scripted model
// server: not a measure of quality, a check that the harness runs the pipelines and scores
// what they return.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EvalCase, ImplementCase, PlanCase, ReviewCase } from "../../eval/case-schema.js";
import { loadCases, runEval } from "../../eval/harness.js";
import type { EvalReport } from "../../eval/report.js";
import { agentOf, fixtureReplyFor, MODEL, realRuntime } from "../features/plan/plan-support.js";
import { FILES_PROMPT_VERSION } from "../../src/agents/planner/files-prompt.js";
import { PROMPT_VERSION as PLANNER_PROMPT_VERSION } from "../../src/agents/planner/prompt.js";
import { planReply } from "../agents/fixtures.js";
import { blocksText, isEditRequest } from "../support/edit-replies.js";
import { startModelServer, type JsonObject, type ModelServer } from "../support/model-server.js";

const PLAN_ID = "ky-plan-d7f7e73";
const REVIEW_ID = "more-itertools-review-adeda34";
const IMPLEMENT_ID = "tomli-implement-4e245a4";

let server: ModelServer;
let outDir: string;
let cases: EvalCase[];

beforeEach(async () => {
  server = await startModelServer({ models: [{ name: MODEL, contextLength: 32_768 }] });
  outDir = await mkdtemp(join(tmpdir(), "symphony-eval-test-"));
  cases = await loadCases(undefined, [PLAN_ID, REVIEW_ID, IMPLEMENT_ID]);
});

afterEach(async () => {
  await server.close();
  await rm(outDir, { recursive: true, force: true });
});

function schemaProperties(body: JsonObject | undefined): string[] {
  const format = body?.["format"];
  if (typeof format !== "object" || format === null || Array.isArray(format)) return [];
  const properties = format["properties"];
  return typeof properties === "object" && properties !== null ? Object.keys(properties) : [];
}

/** The text of a new-file line in a GitHub patch. */
function rightLineText(patch: string, wanted: number): string {
  let line = 0;
  for (const row of patch.split("\n")) {
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)/.exec(row);
    if (hunk) line = Number(hunk[1]) - 1;
    else if (!row.startsWith("-")) {
      line += 1;
      if (line === wanted) return row.slice(1);
    }
  }
  throw new Error(`line ${wanted} is not in the patch`);
}

/** Scripted answers: the Planner names the fixed file and an invented one, the review flags the
 * fixed line, and the Editor adds a comment at the top of the file (which cannot fix the bug). */
function answerFromCases(plan: PlanCase, review: ReviewCase, implement: ImplementCase): void {
  const fixed = review.expect.fixedLines[0]!;
  const patch = review.files.find((file) => file.filename === fixed.path)!.patch!;
  const fixedLine = fixed.lines[0]!;
  const editPath = implement.edit[0]!;
  const head = implement.files[editPath]!.split("\n").slice(0, 3).join("\n");
  server.respond((request) => {
    if (agentOf(request.body) === "planner") {
      return {
        json: planReply({
          files_to_change: [
            { path: plan.expect.changedFiles[0]!, action: "modify", why: "Where the bug is" },
            { path: "lib/invented/nowhere.ts", action: "modify", why: "Made up" },
          ],
        }),
      };
    }
    const planning = fixtureReplyFor(request);
    if (planning !== undefined) return { json: planning };
    const properties = schemaProperties(request.body);
    if (properties.includes("findings")) {
      return {
        json: {
          findings: [
            {
              path: fixed.path,
              line: fixedLine,
              snippet: rightLineText(patch, fixedLine).trim().slice(0, 60),
              severity: "major",
              rule: "bug",
              title: "Counts one item too many",
              body: "Checks n + 1 items.",
            },
          ],
        },
      };
    }
    if (isEditRequest(request.body)) {
      return {
        content: blocksText(editPath, [{ search: head, replace: `${head}\n# scripted edit` }]),
      };
    }
    return undefined;
  });
}

/** The real commit's hunks as SEARCH/REPLACE blocks: what a perfect Editor would answer. */
function referenceBlocks(patch: string): { search: string; replace: string }[] {
  const blocks: { search: string[]; replace: string[] }[] = [];
  for (const row of patch.replace(/\n$/, "").split("\n")) {
    if (row.startsWith("@@")) blocks.push({ search: [], replace: [] });
    else if (row.startsWith("\\")) continue;
    else {
      const block = blocks.at(-1)!;
      if (!row.startsWith("+")) block.search.push(row.slice(1));
      if (!row.startsWith("-")) block.replace.push(row.slice(1));
    }
  }
  return blocks.map((block) => ({
    search: block.search.join("\n"),
    replace: block.replace.join("\n"),
  }));
}

describe("npm run eval against the scripted model", () => {
  it("runs a plan, a review and an implement case through their pipelines and scores them", async () => {
    const byId = (id: string) => cases.find((item) => item.id === id)!;
    answerFromCases(
      byId(PLAN_ID) as PlanCase,
      byId(REVIEW_ID) as ReviewCase,
      byId(IMPLEMENT_ID) as ImplementCase,
    );

    const { report, files } = await runEval({
      cases,
      runtime: realRuntime(server.url, { SYMPHONY_MODEL_RETRIES: "0" }),
      model: MODEL,
      host: server.url,
      outDir,
      now: () => new Date("2026-12-04T16:30:00Z"),
    });

    const result = (id: string) => report.results.find((item) => item.id === id)!;
    expect(result(PLAN_ID)).toMatchObject({
      kind: "plan",
      score: { recall: 1, named: ["source/utils/merge.ts"], invented: ["lib/invented/nowhere.ts"] },
    });
    expect(result(REVIEW_ID)).toMatchObject({
      kind: "review",
      score: { hit: true, findings: 1, near: 1, far: 0 },
    });
    expect(result(IMPLEMENT_ID)).toMatchObject({
      kind: "implement",
      score: { applied: true, compiles: true, passes: false },
    });
    expect(report.results.every((item) => item.error === undefined)).toBe(true);
    expect(report.summary.map((row) => [row["agent"], row["score"]])).toEqual([
      ["plan (Enhancer → Visualizer)", 0],
      ["review (Editor findings)", 1],
      ["implement (Editor edits)", 0],
      ["total", 0.33],
    ]);
    // The Planner's choice of files to read, and its design.
    expect(report.promptVersions["planner"]).toEqual([
      FILES_PROMPT_VERSION,
      PLANNER_PROMPT_VERSION,
    ]);
    expect(report.promptVersions["editor"]!.length).toBeGreaterThanOrEqual(1);

    const written = JSON.parse(await readFile(files.json, "utf8")) as EvalReport;
    expect(written.results).toHaveLength(3);
    const markdown = await readFile(files.markdown, "utf8");
    expect(markdown).toContain(`# Symphony eval: ${MODEL}`);
    expect(markdown).toContain("| review (Editor findings) | 1 | 1 | 1 |");
    expect(markdown).toContain("invented lib/invented/nowhere.ts");
  });

  it("scores the real commit's change, replayed as the Editor's answer, as applied and passing its tests", async () => {
    const implement = cases.find((item) => item.id === IMPLEMENT_ID) as ImplementCase;
    const path = implement.edit[0]!;
    server.respond(() => ({
      content: blocksText(path, referenceBlocks(implement.reference[path]!)),
    }));

    const { report } = await runEval({
      cases: [implement],
      runtime: realRuntime(server.url, { SYMPHONY_MODEL_RETRIES: "0" }),
      model: MODEL,
      host: server.url,
      outDir,
    });

    expect(report.results[0]).toMatchObject({
      score: { applied: true, compiles: true, passes: true },
    });
    expect(report.summary.at(-1)).toMatchObject({ agent: "total", score: 1 });
  });

  it("scores a case 0 with the pipeline's error when the model is unusable, and carries on", async () => {
    server.respond(() => ({ fault: "status", status: 500 }));

    const { report } = await runEval({
      cases: cases.filter((item) => item.kind !== "implement"),
      runtime: realRuntime(server.url, { SYMPHONY_MODEL_RETRIES: "0" }),
      model: MODEL,
      host: server.url,
      repeat: 2,
      outDir,
    });

    expect(report.results).toHaveLength(4);
    const plan = report.results.filter((item) => item.kind === "plan");
    expect(plan.every((item) => item.error !== undefined && item.score === undefined)).toBe(true);
    expect(report.summary.at(-1)).toMatchObject({ agent: "total", score: 0, runs: 4 });
  });
});
