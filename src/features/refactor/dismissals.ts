// What people did with the rolling issue since the last run, and which suggestions this run may
// therefore make: a removed or won't-fix suggestion stays away while its code is unchanged.
import {
  MAX_DISMISSED,
  MAX_MADE,
  parseRefactorState,
  suggestionRecordSchema,
  type RefactorState,
} from "./refactor-state.js";
import { parseSuggestionBoxes } from "./rolling-issue.js";
import type { Suggestion } from "./suggestions.js";

export interface RollingIssueReading {
  /** The state the last run left, if the body holds a valid one. */
  previous: RefactorState | undefined;
  /** Every dismissed fingerprint: remembered ones and those dismissed since the last run. */
  dismissed: ReadonlySet<string>;
  /** Fingerprints dismissed since the last run (line removed, struck through or “won't fix”). */
  dismissedNow: string[];
  /** Ids whose box is ticked. */
  ticked: ReadonlySet<string>;
}

/** Reads the current body of the rolling issue (undefined when there is none yet). */
export function readRollingIssue(body: string | null | undefined): RollingIssueReading {
  const previous = parseRefactorState(body);
  const boxes = new Map(parseSuggestionBoxes(body).map((box) => [box.id, box]));
  const dismissedNow = (previous?.made ?? [])
    .filter((made) => {
      const box = boxes.get(made.id);
      return box === undefined || box.wontFix;
    })
    .map((made) => made.fingerprint);
  const ticked = [...boxes.values()].filter((box) => box.ticked && !box.wontFix);
  return {
    previous,
    dismissed: new Set([...(previous?.dismissed ?? []), ...dismissedNow]),
    dismissedNow,
    ticked: new Set(ticked.map((box) => box.id)),
  };
}

export interface NextRefactorRun {
  /** The suggestions to show, dismissed ones and repeats of an id left out. */
  suggestions: Suggestion[];
  /** The state to hide in the new body. */
  state: RefactorState;
}

/** Keeps the proposed suggestions nobody dismissed, and the state that remembers this run. */
export function nextRefactorRun(
  reading: RollingIssueReading,
  proposed: readonly Suggestion[],
  runAt: Date,
): NextRefactorRun {
  const seen = new Set<string>();
  const suggestions = proposed
    .filter((suggestion) => {
      if (reading.dismissed.has(suggestion.fingerprint) || seen.has(suggestion.id)) return false;
      seen.add(suggestion.id);
      return true;
    })
    .slice(0, MAX_MADE);
  // Newest dismissals are kept when the list is full: old ones point at code likely changed since.
  const remembered = [...reading.dismissed];
  return {
    suggestions,
    state: {
      version: 1,
      lastRun: runAt.toISOString(),
      made: suggestions.map((suggestion) => suggestionRecordSchema.parse(suggestion)),
      dismissed: remembered.slice(Math.max(0, remembered.length - MAX_DISMISSED)),
    },
  };
}
