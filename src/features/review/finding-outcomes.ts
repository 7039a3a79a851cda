// What became of Symphony's findings, judged from their threads: dismissed "won't fix" by the
// configured role, a suggestion committed, resolved, or the line changed by a later push; and the
// Conductor's verdict for the arm that wrote each (docs/models.md has the mapping).
import type { RatedOutput } from "../../agents/conductor/evidence.js";
import { clip } from "../../comments/sanitise.js";
import type { FindingThread, HeadFile } from "../../github/review-outcomes.js";
import { WONT_FIX } from "../../github/review-dismissals.js";
import { holdsSuggestion, parseFindingState, type FindingState } from "./finding-state.js";

/** The longest reason kept from a "won't fix" reply. */
export const MAX_REASON_CHARS = 200;
/** A finding whose lines a later push changed, without its suggestion on the branch: maybe fixed. */
export const OUTDATED_WEIGHT = 0.5;

export interface JudgedFinding {
  thread: FindingThread;
  /** What the finding's comment keeps; absent on comments older than the state. */
  state: FindingState | undefined;
  /** The first "won't fix" reply by someone with the configured role. */
  dismissal?: { by: string; replyId: number; reason?: string };
  /** Someone below the role answered "won't fix": no verdict either way, and no note. */
  disputed: boolean;
}

/** Who may dismiss a finding (the configured role), asked once per login and run. */
export type MayDismiss = (login: string) => Promise<boolean>;

/** The reason a "won't fix" reply gives: the text after it, else before it; quoted lines left out. */
export function dismissalReason(body: string): string | undefined {
  const text = body
    .split(/\r?\n/)
    .filter((line) => !/^\s*>/.test(line))
    .join("\n");
  const match = WONT_FIX.exec(text);
  if (match === null) return undefined;
  const tidy = (part: string) =>
    part
      .replace(/\s+/g, " ")
      .replace(/^[\s:;,.!\-–—]+|[\s:;,\-–—]+$/g, "")
      .trim();
  const reason =
    tidy(text.slice(match.index + match[0].length)) || tidy(text.slice(0, match.index));
  return reason === "" ? undefined : clip(reason, MAX_REASON_CHARS);
}

/** Each of Symphony's threads with who dismissed it, if anyone with the role did. */
export async function judgeFindings(
  threads: readonly FindingThread[],
  mayDismiss: MayDismiss,
): Promise<JudgedFinding[]> {
  const judged: JudgedFinding[] = [];
  for (const thread of threads) {
    const answers = thread.replies.filter(
      (reply) => !reply.bot && reply.author !== undefined && WONT_FIX.test(reply.body),
    );
    let dismissal: JudgedFinding["dismissal"];
    for (const reply of answers) {
      if (!(await mayDismiss(reply.author!))) continue;
      const reason = dismissalReason(reply.body);
      dismissal = { by: reply.author!, replyId: reply.id, ...(reason ? { reason } : {}) };
      break;
    }
    judged.push({
      thread,
      state: parseFindingState(thread.root.body),
      ...(dismissal ? { dismissal } : {}),
      disputed: dismissal === undefined && answers.length > 0,
    });
  }
  return judged;
}

/** The head files to read to tell whether a suggestion was committed (outdated or resolved threads). */
export function suggestionFiles(judged: readonly JudgedFinding[]): HeadFile[] {
  return judged
    .filter((finding) => mayHoldCommittedSuggestion(finding))
    .map(({ thread }) => ({ sha: thread.headSha, path: thread.path }));
}

function mayHoldCommittedSuggestion(finding: JudgedFinding): boolean {
  const { thread, state } = finding;
  return (
    state?.suggestion !== undefined &&
    finding.dismissal === undefined &&
    !finding.disputed &&
    (thread.outdated || thread.resolved)
  );
}

export type FindingFate = "dismissed" | "suggestion committed" | "resolved" | "line changed";

/** What happened to one finding, most telling first; undefined: nothing yet, or disputed. */
export function findingFate(
  finding: JudgedFinding,
  headFiles: ReadonlyMap<string, string>,
): FindingFate | undefined {
  if (finding.dismissal) return "dismissed";
  if (finding.disputed) return undefined;
  const { thread, state } = finding;
  const text = headFiles.get(`${thread.headSha}:${thread.path}`);
  if (
    mayHoldCommittedSuggestion(finding) &&
    text !== undefined &&
    holdsSuggestion(text, state!.suggestion!)
  ) {
    return "suggestion committed";
  }
  if (thread.resolved) return "resolved";
  if (thread.outdated) return "line changed";
  return undefined;
}

/** One rated output per finding whose comment names the arm that wrote it. */
export function ratedFindings(
  judged: readonly JudgedFinding[],
  headFiles: ReadonlyMap<string, string>,
): RatedOutput[] {
  return judged.flatMap((finding): RatedOutput[] => {
    const { state } = finding;
    const fate = findingFate(finding, headFiles);
    if (state === undefined || fate === undefined) return [];
    const arms = [{ agent: "editor", model: state.model, promptVersion: state.promptVersion }];
    if (fate === "dismissed") return [{ arms, kept: false }];
    if (fate === "line changed") return [{ arms, kept: true, weight: OUTDATED_WEIGHT }];
    return [{ arms, kept: true }];
  });
}
