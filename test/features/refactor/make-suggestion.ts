// Suggestions for tests, with their id and fingerprint derived the way the Planner step derives them.
import {
  suggestionFingerprint,
  suggestionId,
  type Smell,
  type Suggestion,
} from "../../../src/features/refactor/suggestions.js";

export function makeSuggestion(
  fields: { file?: string; function?: string; smell?: Smell; codeHash?: string } & Partial<
    Pick<Suggestion, "title" | "why" | "refactor" | "before" | "after" | "line">
  > = {},
): Suggestion {
  const file = fields.file ?? "src/cart.ts";
  const smell = fields.smell ?? "deep-nesting";
  const id = suggestionId(file, fields.function, smell);
  return {
    id,
    fingerprint: suggestionFingerprint(id, fields.codeHash ?? "0123456789ab"),
    file,
    ...(fields.function === undefined ? {} : { function: fields.function }),
    line: fields.line ?? 12,
    smell,
    title: fields.title ?? "Return early for members",
    why: fields.why ?? "Changed 14 times in 90 days; cognitive complexity 23, the file's worst.",
    refactor: fields.refactor ?? "Handle the member case first and return; then the rest.",
    before: fields.before ?? "if (user) {\n  if (user.member) {\n    return total * 0.9;\n  }\n}",
    after: fields.after ?? "if (!user?.member) return total;\nreturn total * 0.9;",
  };
}
