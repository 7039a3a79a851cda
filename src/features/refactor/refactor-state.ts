// What the rolling issue remembers between runs, kept hidden in its own body: GitHub is the store.
import { z } from "zod";
import { fingerprintSchema, suggestionIdSchema, suggestionSchema } from "./suggestions.js";

/** Most suggestions one body can hold (20 hotspots × 3); also bounds what a forged body can load. */
export const MAX_MADE = 60;
/** Dismissals remembered; the oldest are forgotten first, and may then be proposed again. */
export const MAX_DISMISSED = 300;

/** A suggestion as the state keeps it: enough for the Editor to act on a ticked box. */
export const suggestionRecordSchema = suggestionSchema.pick({
  id: true,
  fingerprint: true,
  file: true,
  function: true,
  line: true,
  smell: true,
  title: true,
  refactor: true,
});

export type SuggestionRecord = z.infer<typeof suggestionRecordSchema>;

/** Draft pull requests opened for suggestions remembered; the oldest are forgotten first. */
export const MAX_PULLS = 60;

/** The draft pull request opened for a suggestion, on the code its fingerprint names. */
export const suggestionPullSchema = z.object({
  id: suggestionIdSchema,
  fingerprint: fingerprintSchema,
  number: z.int().positive(),
});

export type SuggestionPull = z.infer<typeof suggestionPullSchema>;

export const refactorStateSchema = z.object({
  version: z.literal(1),
  /** When the ranking last ran (ISO 8601): the App's timer counts from it. */
  lastRun: z.iso.datetime(),
  /** The suggestions the body shows, as the last run wrote them. */
  made: z.array(suggestionRecordSchema).max(MAX_MADE),
  /** Fingerprints people dismissed: not proposed again while the code is unchanged. */
  dismissed: z.array(fingerprintSchema).max(MAX_DISMISSED),
  /** Pull requests opened from ticked suggestions: the line links them while the code is the same. */
  pulls: z.array(suggestionPullSchema).max(MAX_PULLS).optional(),
});

export type RefactorState = z.infer<typeof refactorStateSchema>;

const STATE_PREFIX = "<!-- symphony:refactor-state ";
const STATE_PATTERN = /<!-- symphony:refactor-state ([A-Za-z0-9+/]*={0,2}) -->/g;

/**
 * The hidden comment. The JSON travels base64-encoded: whatever text it holds (titles written by
 * a model included) cannot close the comment or be read as Markdown.
 */
export function renderRefactorState(state: RefactorState): string {
  const payload = Buffer.from(JSON.stringify(refactorStateSchema.parse(state))).toString("base64");
  return `${STATE_PREFIX}${payload} -->`;
}

/** The state in an issue body; undefined when there is none or it does not validate. */
export function parseRefactorState(body: string | null | undefined): RefactorState | undefined {
  if (!body) return undefined;
  const matches = [...body.matchAll(STATE_PATTERN)];
  const payload = matches.at(-1)?.[1];
  if (payload === undefined) return undefined;
  try {
    const json: unknown = JSON.parse(Buffer.from(payload, "base64").toString("utf8"));
    const parsed = refactorStateSchema.safeParse(json);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The body with its (last) hidden state replaced by `state`, or the state appended if it had none. */
export function replaceRefactorState(body: string, state: RefactorState): string {
  const matches = [...body.matchAll(STATE_PATTERN)];
  const last = matches.at(-1);
  const rendered = renderRefactorState(state);
  if (last?.index === undefined) return `${body.trimEnd()}\n\n${rendered}\n`;
  return body.slice(0, last.index) + rendered + body.slice(last.index + last[0].length);
}
