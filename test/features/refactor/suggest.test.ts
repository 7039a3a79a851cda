import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ModelOutputError } from "../../../src/runner/errors.js";
import { rankHotspots, type HotspotRow } from "../../../src/features/refactor/hotspots.js";
import {
  REFACTOR_PROMPT_VERSION,
  suggestRefactors,
  WHOLE_FILE,
} from "../../../src/features/refactor/suggest.js";
import { suggestionFingerprint, suggestionId } from "../../../src/features/refactor/suggestions.js";
import { MockModelRuntime } from "../../support/mock-runtime.js";

const sources: Record<string, string> = {
  "src/sonar-examples.ts": readFileSync(
    new URL("./fixtures/sources/sonar-examples.ts.txt", import.meta.url),
    "utf8",
  ),
  "app/inventory.py": readFileSync(
    new URL("./fixtures/sources/inventory.py", import.meta.url),
    "utf8",
  ),
};

async function hotspots(): Promise<HotspotRow[]> {
  const ranking = await rankHotspots({
    counts: new Map([
      ["src/sonar-examples.ts", 6],
      ["app/inventory.py", 3],
    ]),
    readFile: async (path) => sources[path],
  });
  return ranking.rows;
}

const reply = {
  suggestions: [
    {
      target: "settle",
      smell: "deep-nesting",
      title: "Move the failure policy out of the loop",
      why: "Changed 6 times in the window; settle has cognitive complexity 8, the file's worst.",
      refactor: "Extract `recordFailure(error, strict)`; the loop then only awaits and delegates.",
      before:
        "for (const job of jobs) {\n  try { await job(); } catch (error) { if (strict) … }\n}",
      after: "for (const job of jobs) await job().catch((e) => recordFailure(e, strict));",
    },
    {
      target: WHOLE_FILE,
      smell: "mixed-responsibilities",
      title: "Split parsing from job handling",
      why: "Five unrelated helpers share one module of 71 lines.",
      refactor: "Move Parser to parser.ts.",
      before: "",
      after: "",
    },
  ],
};

describe("the Planner's refactor suggestions", () => {
  it("asks the planner once per hotspot, with the prompt version, figures and code", async () => {
    const runtime = new MockModelRuntime().respond("planner", () => ({ suggestions: [] }));
    await suggestRefactors(runtime, await hotspots());

    const calls = runtime.callsFor("planner");
    expect(calls.map((call) => call.promptVersion)).toEqual([
      REFACTOR_PROMPT_VERSION,
      REFACTOR_PROMPT_VERSION,
    ]);
    const prompt = calls[0]!.messages[1]!.content;
    expect(prompt).toContain("File: src/sonar-examples.ts (typescript, 71 lines)");
    expect(prompt).toContain("Changes in the window: 6 commits");
    expect(prompt).toContain("Complexity: cognitive 30 in total, cyclomatic 32 in total");
    expect(prompt).toContain("Function settle, lines 52–63 (12 lines), cognitive 8, cyclomatic 6:");
    expect(prompt).toContain("export const settle = async");
    expect(calls[1]!.messages[1]!.content).toContain("(estimated from indentation and keywords)");
  });

  it("asks for the prose in English unless the config names another language", async () => {
    const [row] = await hotspots();
    const runtime = new MockModelRuntime().respond("planner", () => ({ suggestions: [] }));
    await suggestRefactors(runtime, [row!]);
    await suggestRefactors(runtime, [row!], { language: "Deutsch" });

    const [english, german] = runtime.callsFor("planner").map((call) => call.messages[0]!.content);
    expect(english).toContain("Write every sentence in English;");
    expect(german).toContain("Write every sentence in Deutsch;");
    expect(german).not.toContain("English");
  });

  it("turns the reply into suggestions with stable ids tied to the code they point at", async () => {
    const [row] = await hotspots();
    const runtime = new MockModelRuntime().script("planner", reply);
    const { suggestions, usage } = await suggestRefactors(runtime, [row!]);

    const settle = row!.worstFunctions.find((fn) => fn.name === "settle")!;
    const settleId = suggestionId("src/sonar-examples.ts", "settle", "deep-nesting");
    const fileId = suggestionId("src/sonar-examples.ts", undefined, "mixed-responsibilities");
    expect(suggestions.map((s) => [s.id, s.fingerprint, s.file, s.function, s.line])).toEqual([
      [
        settleId,
        suggestionFingerprint(settleId, settle.codeHash),
        "src/sonar-examples.ts",
        "settle",
        52,
      ],
      [fileId, suggestionFingerprint(fileId, row!.fileHash), "src/sonar-examples.ts", undefined, 1],
    ]);
    expect(usage.map((u) => u.agent)).toEqual(["planner"]);
  });

  it("refuses a reply about a function that is not among the hotspot's worst", async () => {
    const [row] = await hotspots();
    const runtime = new MockModelRuntime().script("planner", {
      suggestions: [{ ...reply.suggestions[0], target: "../../etc/passwd" }],
    });
    await expect(suggestRefactors(runtime, [row!])).rejects.toBeInstanceOf(ModelOutputError);
  });

  it("tells the planner which of this file's suggestions people dismissed", async () => {
    const [row] = await hotspots();
    const settle = row!.worstFunctions.find((fn) => fn.name === "settle")!;
    const id = suggestionId(row!.file, "settle", "deep-nesting");
    const runtime = new MockModelRuntime().script("planner", { suggestions: [] });

    await suggestRefactors(runtime, [row!], {
      dismissed: new Set([suggestionFingerprint(id, settle.codeHash)]),
    });

    expect(runtime.calls[0]!.messages[1]!.content).toContain(
      "Dismissed by the maintainers (do not propose again):\n- settle: deep-nesting",
    );
  });

  it("shows less of each function when the prompt would not fit the model", async () => {
    const body = Array.from({ length: 200 }, (_, i) => `  if (flags[${i}]) count++;`);
    const big = `export function tally(flags: boolean[]) {\n  let count = 0;\n${body.join("\n")}\n  return count;\n}\n`;
    const { rows } = await rankHotspots({
      counts: new Map([["src/tally.ts", 1]]),
      readFile: async () => big,
    });
    const runtime = new MockModelRuntime({ promptBudget: 1_250 }).script("planner", {
      suggestions: [],
    });

    await suggestRefactors(runtime, rows);

    const call = runtime.calls[0]!;
    expect(call.promptTokens).toBeLessThanOrEqual(1_250);
    expect(call.messages[1]!.content).toContain("… 174 more lines");
  });
});
