// Repository notes: a finding a maintainer dismissed with a reason ("won't fix: we use tabs here")
// becomes a short note later reviews see, bounded in count and tokens, kept in one Symphony issue.
import { z } from "zod";
import { MAX_REPOSITORY_NOTE_CHARS, MAX_REPOSITORY_NOTES } from "../../agents/editor/review.js";
import type { EstimateTokens } from "../../context/budget.js";
import { readHiddenState, renderHiddenState } from "../../comments/hidden-state.js";
import { inlineCode, inlineProse } from "../../comments/sanitise.js";
import { renderMarker } from "../../github/markers.js";
import { MAX_REASON_CHARS, type JudgedFinding } from "./finding-outcomes.js";

/** Notes kept: the newest, as many as one review call shows. */
export const MAX_NOTES = MAX_REPOSITORY_NOTES;
/** Tokens the notes may take in each review call; the newest that fit are shown. */
export const MAX_NOTES_TOKENS = 600;
/** Findings whose notes were forgotten, so reading their dismissal again does not bring them back. */
export const MAX_FORGOTTEN = 200;

export const LEARNINGS_LABEL = "symphony:learnings";
export const LEARNINGS_TITLE = "Symphony: what reviews learned in this repository";
export const LEARNINGS_MARKER = { kind: "learnings", key: "repository" } as const;
const STATE_KIND = "learnings";

export const learningNoteSchema = z.object({
  /** The REST id of the finding's comment: one note per dismissed finding. */
  finding: z.number().int().positive(),
  pull: z.number().int().positive(),
  path: z.string().max(400),
  rule: z.string().max(40),
  title: z.string().max(160),
  reason: z.string().min(1).max(MAX_REASON_CHARS),
  /** Who dismissed it. */
  by: z.string().max(100),
});
export type LearningNote = z.infer<typeof learningNoteSchema>;

export const learningsStateSchema = z.object({
  version: z.literal(1),
  /** Oldest first; `/symphony learnings` numbers them in this order. */
  notes: z.array(learningNoteSchema).max(MAX_NOTES),
  forgotten: z.array(z.number().int().positive()).max(MAX_FORGOTTEN),
});
export type LearningsState = z.infer<typeof learningsStateSchema>;

export const EMPTY_LEARNINGS: LearningsState = { version: 1, notes: [], forgotten: [] };

/** Notes from the findings people with the role dismissed with a reason. */
export function notesFromDismissals(judged: readonly JudgedFinding[]): LearningNote[] {
  return judged.flatMap(({ thread, state, dismissal }): LearningNote[] => {
    if (dismissal?.reason === undefined || state === undefined) return [];
    return [
      {
        finding: thread.root.id,
        pull: thread.pull,
        path: thread.path.slice(0, 400),
        rule: state.rule,
        title: state.title,
        reason: dismissal.reason,
        by: dismissal.by.slice(0, 100),
      },
    ];
  });
}

/** The state with the new notes added (none twice, none forgotten), the newest MAX_NOTES kept. */
export function withNotes(state: LearningsState, added: readonly LearningNote[]): LearningsState {
  const known = new Set([...state.notes.map((note) => note.finding), ...state.forgotten]);
  const fresh = added.filter((note) => {
    if (known.has(note.finding)) return false;
    known.add(note.finding);
    return true;
  });
  if (fresh.length === 0) return state;
  return { ...state, notes: [...state.notes, ...fresh].slice(-MAX_NOTES) };
}

/** The state without note `number` (1-based, as listed); undefined when there is no such note. */
export function forgetNote(state: LearningsState, number: number): LearningsState | undefined {
  const note = state.notes[number - 1];
  if (!Number.isInteger(number) || note === undefined) return undefined;
  return {
    ...state,
    notes: state.notes.filter((_, index) => index !== number - 1),
    forgotten: [...state.forgotten, note.finding].slice(-MAX_FORGOTTEN),
  };
}

/** A note as the review prompt quotes it: where, what kind, what was raised, and the reason. */
export function noteText(note: LearningNote): string {
  const text = `${note.path} · ${note.rule} · "${note.title}" was dismissed: ${note.reason}`;
  return text.slice(0, MAX_REPOSITORY_NOTE_CHARS);
}

/** The newest notes whose text fits `maxTokens`, oldest first as listed. */
export function notesForPrompt(
  state: LearningsState,
  estimate: EstimateTokens,
  maxTokens = MAX_NOTES_TOKENS,
): string[] {
  const shown: string[] = [];
  let used = 0;
  for (const note of [...state.notes].reverse()) {
    const text = noteText(note);
    // A line's number, quotes and line break beside the text itself.
    const cost = estimate(text) + 4;
    if (used + cost > maxTokens) break;
    used += cost;
    shown.unshift(text);
  }
  return shown;
}

/** One numbered line per note, people's text made safe by the one sanitiser. */
export function renderNoteList(state: LearningsState): string[] {
  return state.notes.map(
    (note, index) =>
      `${index + 1}. ${inlineCode(note.path)} · ${inlineCode(note.rule)} · ${inlineProse(note.title)}: ${inlineProse(note.reason)} (${inlineProse(note.by)}, #${note.pull})`,
  );
}

/** The learnings issue's body: what it is, the notes, and the state the one codec reads back. */
export function renderLearningsIssue(state: LearningsState): string {
  const list = renderNoteList(state);
  return [
    renderMarker(LEARNINGS_MARKER),
    `## ${LEARNINGS_TITLE}`,
    `Each note comes from a review finding that someone with the configured role dismissed with a reason (a reply such as "won't fix: we use tabs here"). Later reviews of this repository are shown the newest notes (at most ${MAX_NOTES}, about ${MAX_NOTES_TOKENS} tokens) as quoted data, so the same kind of comment is not raised again. Comment \`/symphony learnings\` to list them and \`/symphony learnings forget <n>\` to remove one; Symphony keeps this issue up to date, so edits here are not kept.`,
    list.length > 0 ? list.join("\n") : "_No notes yet._",
    renderHiddenState(STATE_KIND, learningsStateSchema.parse(state)),
  ].join("\n\n");
}

/** The state in the learnings issue's body; read it only from an issue Symphony opened. */
export function parseLearningsState(body: string | null | undefined): LearningsState | undefined {
  return readHiddenState(body, STATE_KIND, learningsStateSchema);
}
