// The edit corpus (bench/edit-corpus/cases): how often model edits land where intended, and never
// elsewhere. Each case's reply is written as the model now writes it, in plain text, and read by
// the Editor's parser before it is applied; the JSON form it replaced is measured beside it.
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { structuredPatch } from "diff";
import type { ReplyCheck } from "../src/agents/editor/edit-reply.js";
import { applySearchReplace } from "../src/editing/apply.js";
import { parseEditText } from "../src/editing/edit-text.js";
import { acceptWholeFile } from "../src/editing/whole-file.js";
import { estimateTokens } from "../src/runner/token-estimate.js";
import { checkTextReply, replyText } from "./edit-corpus/as-text.js";
import { editCaseSchema, type EditCase } from "./edit-corpus/case-schema.js";
import type { BenchResult } from "./types.js";

const here = dirname(fileURLToPath(import.meta.url));
const RUNS_PER_CASE = 5;

type Verdict =
  "applied" | "wrong_place" | "wrong_text" | "missed" | "refused" | "refused_otherwise";

interface Outcome {
  edit: EditCase;
  verdict: Verdict;
  detail: string;
  /** Applying the reply alone, then with the safety checks and verification around it. */
  applyMicros: number;
  micros: number;
}

const REFUSAL_KINDS: Record<string, readonly string[]> = {
  ambiguous: ["ambiguous"],
  absent: ["no_match"],
  elided: ["elided", "shrunk"],
  wrong_path: ["wrong_path"],
};

export default async function run(): Promise<BenchResult> {
  const cases = await loadCases();
  for (const edit of cases) await check(edit); // warm-up: the TypeScript parser's first call is slow
  const outcomes: Outcome[] = [];
  for (const edit of cases) outcomes.push(await judge(edit)); // one at a time, so timings are clean
  const rows = [...groupBy(outcomes, (outcome) => outcome.edit.perturbation)].map(([name, group]) =>
    row(name, group),
  );
  rows.push(row("all", outcomes));
  const unique = outcomes.filter((outcome) => outcome.edit.expect.outcome === "apply");
  const refusals = outcomes.filter((outcome) => outcome.edit.expect.outcome === "refuse");
  const appliedShare = share(unique.filter((o) => o.verdict === "applied").length, unique.length);
  const wrongPlace = outcomes.filter((o) => o.verdict === "wrong_place").length;
  const wrongPlaceShare = share(wrongPlace, outcomes.length);
  const refusedShare = share(
    refusals.filter((o) => o.verdict === "refused").length,
    refusals.length,
  );
  const failures = outcomes.filter((o) => o.verdict !== "applied" && o.verdict !== "refused");
  return {
    title:
      "edit corpus: plain-text model edits parsed and applied by code (parse + apply + safety + verify per reply)",
    rows,
    notes: [
      `${cases.length} cases (${unique.length} with a unique intended place, ${refusals.length} that must be refused)`,
      `applied correctly where the place is unique: ${appliedShare}% (goal ≥ 95%) ${appliedShare >= 95 ? "✓" : "✗"}`,
      `applied in the wrong place: ${wrongPlace} (${wrongPlaceShare}%, goal 0) ${wrongPlace === 0 ? "✓" : "✗"}`,
      `correctly refused where ambiguous, absent, elided or misaddressed: ${refusedShare}%`,
      ...formatCost(cases),
      `median time per reply: ${median(outcomes.map((o) => o.applyMicros)).toFixed(0)} µs to parse and apply, ` +
        `${median(outcomes.map((o) => o.micros)).toFixed(0)} µs with safety checks and verification`,
      ...failures.map((o) => `  ${o.verdict}: ${o.edit.id}: ${o.detail}`),
    ],
    details: {
      outcomes: outcomes.map(({ edit, verdict, detail, applyMicros, micros }) => ({
        id: edit.id,
        verdict,
        detail,
        applyMicros: Math.round(applyMicros),
        micros: Math.round(micros),
      })),
    },
  };
}

async function loadCases(): Promise<EditCase[]> {
  const dir = join(here, "edit-corpus", "cases");
  const names = (await readdir(dir)).filter((name) => name.endsWith(".json")).sort();
  return Promise.all(
    names.map(async (name) =>
      editCaseSchema.parse(JSON.parse(await readFile(join(dir, name), "utf8"))),
    ),
  );
}

function check(edit: EditCase): Promise<ReplyCheck> {
  return checkTextReply(edit);
}

/** Parsing the text reply and applying it, without the safety checks and verification. */
function applyOnly(edit: EditCase): unknown {
  const parsed = parseEditText(replyText(edit), edit.path);
  if (!parsed.ok) return parsed;
  return parsed.edit.kind === "whole_file"
    ? acceptWholeFile(edit.path, edit.original, parsed.edit.content)
    : applySearchReplace(edit.original, parsed.edit.blocks);
}

/** What the JSON form cost: its escape sequences, and output tokens beside the text form. */
function formatCost(cases: readonly EditCase[]): string[] {
  let escapes = 0;
  let jsonTokens = 0;
  let textTokens = 0;
  let reasonedTokens = 0;
  for (const edit of cases) {
    const json = JSON.stringify(edit.reply.reply);
    escapes += json.match(/\\./g)?.length ?? 0;
    jsonTokens += estimateTokens(json);
    textTokens += estimateTokens(replyText(edit, ""));
    reasonedTokens += estimateTokens(replyText(edit));
  }
  return [
    `JSON escape sequences the model no longer writes: ${escapes} over ${cases.length} replies ` +
      `(${(escapes / cases.length).toFixed(1)} per reply)`,
    `reply tokens (runtime estimate): ${jsonTokens} as JSON, ${textTokens} as text, ` +
      `${reasonedTokens} with a one-sentence reasoning before each edit`,
  ];
}

/** The fastest of a few runs, in microseconds: the least disturbed by the machine's other work. */
async function fastest(work: () => unknown): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < RUNS_PER_CASE; run += 1) {
    const started = performance.now();
    const pending = work();
    if (pending instanceof Promise) await pending; // sync work is timed without a microtask hop
    best = Math.min(best, (performance.now() - started) * 1000);
  }
  return best;
}

async function judge(edit: EditCase): Promise<Outcome> {
  const { verdict, detail } = classify(edit, await check(edit));
  return {
    edit,
    verdict,
    detail,
    applyMicros: await fastest(() => applyOnly(edit)),
    micros: await fastest(() => check(edit)),
  };
}

function classify(edit: EditCase, result: ReplyCheck): { verdict: Verdict; detail: string } {
  const expected = edit.expect;
  if (expected.outcome === "refuse") {
    if (result.ok) return { verdict: "wrong_place", detail: "written although it must be refused" };
    const right = REFUSAL_KINDS[expected.why]?.includes(result.problem.kind) ?? false;
    return {
      verdict: right ? "refused" : "refused_otherwise",
      detail: `${result.problem.kind}: ${result.problem.message}`,
    };
  }
  if (!result.ok)
    return { verdict: "missed", detail: `${result.problem.kind}: ${result.problem.message}` };
  if (result.after === expected.result) return { verdict: "applied", detail: "" };
  const samePlace =
    regions(edit.original, result.after) === regions(edit.original, expected.result);
  return {
    verdict: samePlace ? "wrong_text" : "wrong_place",
    detail: samePlace ? "right lines, different text" : "changed other lines than intended",
  };
}

/** The line ranges of the original a change touches, as a comparable string. */
function regions(before: string, after: string): string {
  return structuredPatch("a", "b", before, after, undefined, undefined, { context: 0 })
    .hunks.map((hunk) => `${hunk.oldStart}+${hunk.oldLines}`)
    .join(",");
}

function row(name: string, group: readonly Outcome[]): Record<string, string | number> {
  const count = (verdict: Verdict) => group.filter((outcome) => outcome.verdict === verdict).length;
  return {
    perturbation: name,
    cases: group.length,
    applied: count("applied"),
    refused: count("refused"),
    missed: count("missed"),
    wrong_place: count("wrong_place"),
    wrong_text: count("wrong_text"),
    refused_otherwise: count("refused_otherwise"),
    apply_us: Math.round(median(group.map((outcome) => outcome.applyMicros))),
    checked_us: Math.round(median(group.map((outcome) => outcome.micros))),
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function share(part: number, whole: number): number {
  return whole === 0 ? 100 : Math.round((part / whole) * 1000) / 10;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
