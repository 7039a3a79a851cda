// What the rolling issue remembers between runs, kept hidden in its own body: GitHub is the store.
import { z } from "zod";
import {
  readHiddenState,
  renderHiddenState,
  replaceHiddenState,
} from "../../comments/hidden-state.js";
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

const STATE_KIND = "refactor";

/** The hidden state, through the one codec; model text inside it cannot close the comment. */
export function renderRefactorState(state: RefactorState): string {
  return renderHiddenState(STATE_KIND, refactorStateSchema.parse(state));
}

/**
 * The state in an issue body; undefined when there is none or it does not validate. The last
 * block counts, not only one that ends the body: people edit the rolling issue (a note at the
 * bottom must not wipe what it remembers), and only they can write after Symphony's block; a
 * lookalike above it (model text cannot hold one) is never read. Bodies written before the one
 * codec hold a base64 `<!-- symphony:refactor-state … -->`, read when no new block is there.
 */
export function parseRefactorState(body: string | null | undefined): RefactorState | undefined {
  if (!body) return undefined;
  return (
    readHiddenState(body, STATE_KIND, refactorStateSchema, { where: "last" }) ??
    legacyRefactorState(body)?.state
  );
}

/**
 * The body with its hidden state replaced by `state` (an old-format block becomes the new one),
 * or the state appended if it had none.
 */
export function replaceRefactorState(body: string, state: RefactorState): string {
  const parsed = refactorStateSchema.parse(state);
  const replaced = replaceHiddenState(body, STATE_KIND, parsed);
  if (replaced !== undefined) return replaced;
  const legacy = legacyRefactorState(body);
  const rendered = renderHiddenState(STATE_KIND, parsed);
  if (legacy === undefined) return `${body.trimEnd()}\n\n${rendered}\n`;
  return body.slice(0, legacy.from) + rendered + body.slice(legacy.to);
}

/** Linear: the payload's characters never include the space that ends it. */
const LEGACY_BLOCK = /<!-- symphony:refactor-state ([A-Za-z0-9+/]*={0,2}) -->/g;

/** The last old-format block: where it stands, and its state when it still validates. */
function legacyRefactorState(
  body: string,
): { from: number; to: number; state: RefactorState | undefined } | undefined {
  const last = [...body.matchAll(LEGACY_BLOCK)].at(-1);
  if (last === undefined) return undefined;
  return { from: last.index, to: last.index + last[0].length, state: decodeLegacy(last[1]!) };
}

function decodeLegacy(payload: string): RefactorState | undefined {
  try {
    const json: unknown = JSON.parse(Buffer.from(payload, "base64").toString("utf8"));
    const parsed = refactorStateSchema.safeParse(json);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
