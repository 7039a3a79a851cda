// One refresh of the rolling refactor issue: rank hotspots from the repository's own history, ask
// the Planner about the top ones, and rewrite the one issue in place. Shared by the App's command
// and timer and by the Action's schedule.
import type { Logger } from "probot";
import type { AppServices } from "../../app/services.js";
import type { RepoConfig } from "../../config/schema.js";
import type { GitHubClient, RepoRef } from "../../github/client.js";
import { collectChangeCounts, type CommitHistory } from "../../github/commit-history.js";
import { defaultBranchHead } from "../../github/repository.js";
import { createFileReader } from "../../github/repository-snapshot.js";
import { nextRefactorRun, readRollingIssue, type RollingIssueReading } from "./dismissals.js";
import { rankHotspots, type HotspotRanking } from "./hotspots.js";
import { describeSkipped, renderRollingIssue } from "./rolling-issue.js";
import { suggestRefactors } from "./suggest.js";
import type { Suggestion } from "./suggestions.js";
import { fetchRollingIssue, findRollingIssue, writeRollingIssue } from "./refactor-issue.js";

export type RefreshTrigger = "schedule" | "command" | "timer";

export interface RefreshInput {
  client: GitHubClient;
  repo: RepoRef;
  config: RepoConfig;
  services: AppServices;
  /** schedule: the Action's cron; command: `/symphony refactor`; timer: the App's own timer. */
  trigger: RefreshTrigger;
  signal: AbortSignal;
  log: Logger;
}

/**
 * created / updated / reopened: the issue was written. paused: a person closed it and this was
 * not `/symphony refactor`, so nothing was read or written beyond finding it.
 */
export type RefreshOutcome = "created" | "updated" | "reopened" | "paused";

export interface RefreshResult {
  issueUrl: string;
  issueNumber: number;
  outcome: RefreshOutcome;
  /** Hotspots ranked and suggestions shown (after dismissals). */
  hotspots: number;
  suggestions: number;
  /** One sentence for a status comment or a log: what the run found. */
  summary: string;
}

/** Files above this are data, not code worth a refactor; the Contents API inlines up to 1 MB. */
const MAX_READ_BYTES = 1_000_000;
const DAY_MS = 86_400_000;

/** Refreshes by one app never overlap per repository: two would create two issues. */
export function refreshRefactorIssue(input: RefreshInput): Promise<RefreshResult> {
  const key = `${input.repo.owner}/${input.repo.repo}`.toLowerCase();
  return input.services.memory.refactorRefreshes.run(key, () => refresh(input));
}

async function refresh(input: RefreshInput): Promise<RefreshResult> {
  const { client, repo, config, services, signal, log } = input;
  const existing = await findRollingIssue(client, repo);
  if (existing?.state === "closed" && input.trigger !== "command") {
    log.info(
      { issue: existing.number },
      "refactor suggestions paused: the rolling issue is closed",
    );
    return {
      issueUrl: existing.url,
      issueNumber: existing.number,
      outcome: "paused",
      hotspots: 0,
      suggestions: 0,
      summary: `Paused: #${existing.number} was closed. Comment \`/symphony refactor\` to resume.`,
    };
  }

  const runAt = new Date(services.clock.now());
  const { history, ranking } = await rankRepository(input, runAt);
  signal.throwIfAborted();
  const proposed =
    ranking.rows.length === 0
      ? []
      : (
          await suggestRefactors(services.runtime, ranking.rows, {
            dismissed: readRollingIssue(existing?.body).dismissed,
            ...(config.models.planner ? { model: config.models.planner } : {}),
            ...(config.max_context_tokens !== undefined
              ? { maxContextTokens: config.max_context_tokens }
              : {}),
            language: config.language,
            signal,
          })
        ).suggestions;
  signal.throwIfAborted();

  // People may have ticked or removed lines while the Planner ran: read the body again.
  const current = existing && (await fetchRollingIssue(client, repo, existing.number));
  const reading = readRollingIssue(current?.body);
  const next = nextRefactorRun(reading, proposed, runAt);
  const pulls = reading.previous?.pulls;
  const body = renderRollingIssue({
    runAt,
    windowDays: config.refactor.window_days,
    commitsScanned: history.commitsScanned,
    historyTruncated: history.truncated,
    changedFiles: ranking.changedFiles,
    measured: ranking.measured,
    skipped: ranking.skipped,
    rows: ranking.rows,
    suggestions: next.suggestions,
    ticked: stillTicked(reading, next.suggestions),
    state: pulls ? { ...next.state, pulls } : next.state,
  });
  const written = await writeRollingIssue(client, repo, current ?? existing, body);
  const outcome: RefreshOutcome =
    existing === undefined ? "created" : current?.state === "closed" ? "reopened" : "updated";
  log.info(
    {
      issue: written.number,
      outcome,
      hotspots: ranking.rows.length,
      suggestions: next.suggestions.length,
    },
    "refactor suggestions refreshed",
  );
  return {
    issueUrl: written.url,
    issueNumber: written.number,
    outcome,
    hotspots: ranking.rows.length,
    suggestions: next.suggestions.length,
    summary: summarise(ranking, next.suggestions.length, proposed.length),
  };
}

interface RepositoryRanking {
  history: Pick<CommitHistory, "commitsScanned" | "truncated">;
  ranking: HotspotRanking;
}

const EMPTY: RepositoryRanking = {
  history: { commitsScanned: 0, truncated: false },
  ranking: { rows: [], changedFiles: 0, measured: 0, skipped: {} },
};

/** The window's change counts at the default branch head, measured into a ranking. */
async function rankRepository(input: RefreshInput, runAt: Date): Promise<RepositoryRanking> {
  const { client, repo, config } = input;
  const head = await defaultBranchHead(client, repo);
  // An empty repository has no branch yet: nothing to rank, and nothing to ask a model.
  if (head === undefined) return EMPTY;
  const history = await collectChangeCounts(client, {
    ...repo,
    since: new Date(runAt.getTime() - config.refactor.window_days * DAY_MS),
    ref: head,
  });
  input.signal.throwIfAborted();
  const ranking = await rankHotspots({
    counts: history.counts,
    readFile: createFileReader(client, { ...repo, ref: head, maxBytes: MAX_READ_BYTES }),
    top: config.refactor.top,
    includeTests: config.refactor.include_tests,
    ignore: config.ignore,
  });
  return { history, ranking };
}

/** A box stays ticked only while it points at the code that was ticked. */
function stillTicked(reading: RollingIssueReading, shown: readonly Suggestion[]): Set<string> {
  const before = new Map(reading.previous?.made.map((made) => [made.id, made.fingerprint]));
  return new Set(
    shown
      .filter((s) => reading.ticked.has(s.id) && before.get(s.id) === s.fingerprint)
      .map((s) => s.id),
  );
}

function summarise(ranking: HotspotRanking, shown: number, proposed: number): string {
  const leftOut = describeSkipped(ranking.skipped);
  if (ranking.rows.length === 0) {
    if (ranking.changedFiles === 0) {
      return "No hotspots: no file changed in the window, so there is nothing to rank.";
    }
    if (ranking.measured === 0) {
      return (
        `No hotspots: none of the ${ranking.changedFiles} files changed in the window can be ranked` +
        `${leftOut ? ` (${leftOut})` : ""}. No model was asked.`
      );
    }
    return (
      `No hotspots: the ${plural(ranking.measured, "file")} measured hold no branching code worth a refactor` +
      `${leftOut ? ` (left out: ${leftOut})` : ""}. No model was asked.`
    );
  }
  const dismissed = proposed - shown;
  return (
    `Ranked ${plural(ranking.rows.length, "hotspot")}; ${plural(shown, "suggestion")}` +
    (dismissed > 0 ? ` (${dismissed} left out as dismissed before)` : "") +
    "."
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
