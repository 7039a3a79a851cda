// The edit corpus (bench/edit-corpus) with every reply written as plain text: read by the Editor's
// parser, then applied, limited and verified as before. A case that applied must still apply to the
// same result; a case that must be refused must still be refused, for the same reason.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkTextReply } from "../../bench/edit-corpus/as-text.js";
import { editCaseSchema } from "../../bench/edit-corpus/case-schema.js";

const dir = join(import.meta.dirname, "../../bench/edit-corpus/cases");
const cases = readdirSync(dir)
  .filter((name) => name.endsWith(".json"))
  .sort()
  .map((name) => editCaseSchema.parse(JSON.parse(readFileSync(join(dir, name), "utf8"))));

const REFUSAL_KINDS: Record<string, readonly string[]> = {
  ambiguous: ["ambiguous"],
  absent: ["no_match"],
  elided: ["elided", "shrunk"],
  wrong_path: ["wrong_path"],
};

describe("the edit corpus as plain-text replies", () => {
  it("holds cases of every kind", () => {
    expect(cases.length).toBeGreaterThan(100);
  });

  it.each(cases.map((edit) => [edit.id, edit] as const))("%s", async (_id, edit) => {
    const result = await checkTextReply(edit);
    if (edit.expect.outcome === "apply") {
      expect(result.ok ? result.after : result.problem.message).toBe(edit.expect.result);
    } else {
      expect(result.ok).toBe(false);
      expect(REFUSAL_KINDS[edit.expect.why]).toContain(!result.ok && result.problem.kind);
    }
  });
});
