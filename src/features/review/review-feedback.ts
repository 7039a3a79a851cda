// What one run reads of the repository's review feedback, each part at most once: the threads of
// Symphony's findings, who may dismiss them, the files behind committed suggestions, the notes.
import type { Logger } from "probot";
import type { ArmRecord } from "../../agents/conductor/bandit.js";
import { tallyEvidence } from "../../agents/conductor/evidence.js";
import type { Permission } from "../../config/schema.js";
import type { RepoRef } from "../../github/client.js";
import { collaboratorAccess, meetsPermission } from "../../github/permission.js";
import type { ReviewThreadsClient } from "../../github/review-dismissals.js";
import { readFindingThreads, readHeadFiles } from "../../github/review-outcomes.js";
import {
  judgeFindings,
  ratedFindings,
  suggestionFiles,
  type JudgedFinding,
} from "./finding-outcomes.js";
import {
  EMPTY_LEARNINGS,
  notesFromDismissals,
  withNotes,
  type LearningsState,
} from "./learnings.js";
import { readLearnings, saveLearnings, type LearningsStore } from "./learnings-store.js";

export interface ReviewFeedbackInput {
  client: ReviewThreadsClient;
  repo: RepoRef;
  botLogin: string;
  /** The configured role: only its dismissals count and become notes. */
  permission: Permission;
  log: Pick<Logger, "warn" | "info">;
}

export interface ReviewFeedback {
  /** Whether the login has the configured role, asked of GitHub once per login and run. */
  mayDismiss(login: string): Promise<boolean>;
  /** Symphony's findings on the recent pull requests, judged; none when GitHub would not say. */
  findings(): Promise<JudgedFinding[]>;
  /** Kept and rejected counts per agent and arm, from what became of the findings. */
  evidence(): Promise<Map<string, ArmRecord[]>>;
  /**
   * The repository's notes, with the dismissals read this run added (and written back when that
   * changed them); `store` says where they live, for `/symphony learnings forget`.
   */
  learnings(): Promise<LearningsStore>;
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => (pending ??= load());
}

export function reviewFeedback(input: ReviewFeedbackInput): ReviewFeedback {
  const { client, repo, botLogin, log } = input;
  const roles = new Map<string, Promise<boolean>>();
  const mayDismiss = (login: string): Promise<boolean> => {
    const key = login.toLowerCase();
    if (!roles.has(key)) {
      roles.set(
        key,
        collaboratorAccess(client, repo, login).then((access) =>
          meetsPermission(access, input.permission),
        ),
      );
    }
    return roles.get(key)!;
  };
  const findings = once(async () => {
    try {
      return await judgeFindings(await readFindingThreads(client, repo, botLogin), mayDismiss);
    } catch (error) {
      log.warn({ err: error }, "could not read what became of earlier review findings");
      return [];
    }
  });
  const evidence = once(async () => {
    const judged = await findings();
    let files = new Map<string, string>();
    try {
      files = await readHeadFiles(client, repo, suggestionFiles(judged));
    } catch (error) {
      log.warn({ err: error }, "could not read the files behind committed suggestions");
    }
    return tallyEvidence(ratedFindings(judged, files));
  });
  const learnings = once(async (): Promise<LearningsStore> => {
    let store: LearningsStore;
    try {
      store = await readLearnings(client, repo, botLogin);
    } catch (error) {
      log.warn({ err: error }, "could not read the repository's notes");
      return { state: EMPTY_LEARNINGS };
    }
    const next: LearningsState = withNotes(store.state, notesFromDismissals(await findings()));
    if (next === store.state) return store;
    try {
      const saved = await saveLearnings(client, repo, store, next);
      log.info({ issue: saved.issue, notes: next.notes.length }, "repository notes updated");
      return saved;
    } catch (error) {
      // The notes still serve this run; the next one writes them again.
      log.warn({ err: error }, "could not write the repository's notes");
      return { ...store, state: next };
    }
  });
  return { mayDismiss, findings, evidence, learnings };
}
