// `pull_request_review.submitted` on a pull request Symphony opened: one run per review, in which
// the Editor addresses each comment as a commit and replies in its thread.
import type { Context, Probot } from "probot";
import type { AppServices } from "../../app/services.js";
import { InvalidConfigError } from "../../config/errors.js";
import { loadRepoConfigOrProblem } from "../../config/load.js";
import type { RepoConfig } from "../../config/schema.js";
import { parseMarkers } from "../../github/markers.js";
import { hasPermission } from "../../github/permission.js";
import type { StatusComment } from "../../github/status-comment.js";
import { addressReview, type FollowUpInput, type FollowUpResult } from "./follow-up.js";
import { renderImplementFailure } from "./status.js";
import { inlineCode, inlineProse } from "../../comments/sanitise.js";
import { readStoredPlan } from "../plan/plan-comment.js";
import { startRun } from "../../app/start-run.js";

type ReviewContext = Context<"pull_request_review.submitted">;

/** Symphony's implementation branches; the review feature leaves their threads to this one. */
export const SYMPHONY_BRANCH_PREFIX = "symphony/";

export function registerFollowUpListeners(app: Probot, services: AppServices): void {
  app.on("pull_request_review.submitted", (context) => onReview(context, services));
}

async function onReview(context: ReviewContext, services: AppServices): Promise<void> {
  const { review, pull_request: pull, sender } = context.payload;
  if (context.isBot || sender.type === "Bot" || review.user?.type === "Bot") return;
  if (!pull.head.ref.startsWith(SYMPHONY_BRANCH_PREFIX) || pull.state !== "open") return;
  // An approval without words asks for nothing.
  if (review.state === "approved" && (review.body ?? "").trim() === "") return;
  const botLogin = await services.botLogin();
  if (pull.user?.login.toLowerCase() !== botLogin.toLowerCase()) return;
  if (pull.head.repo?.full_name !== pull.base.repo.full_name) return;
  const config = await readConfig(context);
  if (config === undefined) return;
  const log = context.log.child({
    name: "symphony:follow-up",
    pull: pull.number,
    review: review.id,
  });
  if (!(await hasPermission(context, config.permission))) {
    log.info(
      { sender: sender.login, required: config.permission },
      "ignored: sender lacks permission",
    );
    return;
  }
  const repo = context.repo();
  await startRun({
    client: context.octokit,
    repo,
    services,
    config,
    event: {
      name: "pull_request_review.submitted",
      deliveryId: context.id,
      sender: sender.login,
      commentId: review.id,
    },
    number: pull.number,
    marker: { kind: "follow-up", key: String(pull.number) },
    initialStatus: "**Addressing the review…** queued; Symphony starts in a moment.",
    // Each review is its own request: one submitted during a run gets a run of its own after it.
    whileRunning: "follow-up",
    log,
    run: async ({ status, signal, log: runLog }) => {
      const issueNumber = implementedIssue(pull.body ?? "");
      const stored =
        issueNumber === undefined
          ? undefined
          : await readStoredPlan(context.octokit, repo, issueNumber, botLogin);
      await runFollowUp(
        {
          client: context.octokit,
          repo,
          pull: { number: pull.number, headRef: pull.head.ref, baseRef: pull.base.ref },
          review: { id: review.id, body: review.body ?? "", url: review.html_url },
          record: stored?.record,
          config,
          services,
          signal,
          log: runLog,
          onProgress: (line) => status.update(`**Addressing the review…** ${inlineProse(line)}`),
        },
        status,
      );
    },
  });
}

async function runFollowUp(input: FollowUpInput, status: StatusComment): Promise<void> {
  try {
    const result = await addressReview(input);
    await status.flush(renderFollowUp(result));
  } catch (error) {
    input.log.warn({ err: error }, "the review follow-up failed");
    const reason = error instanceof Error ? error.message : "an unexpected error";
    await status.flush(
      renderImplementFailure(
        reason,
        "submit the review again; if it fails again, the app's logs have the details",
      ),
    );
  }
}

export function renderFollowUp(result: FollowUpResult): string {
  if (result.noFileNamed) {
    return "Symphony read the review but found nothing to change: it names none of this pull request's files. Comment on the lines in question, or name the file's path in the review.";
  }
  const committed = result.outcomes.filter((o) => o.status === "committed");
  const lines = [
    `**Review addressed:** ${committed.length} of ${result.outcomes.length} comment${result.outcomes.length === 1 ? "" : "s"} changed the code, one commit each.`,
    "",
    ...result.outcomes.map((o) =>
      o.status === "committed"
        ? `- ✅ ${inlineCode(o.path)}: ${o.commitSha}`
        : `- ❌ ${inlineCode(o.comment.path)}: ${inlineProse(o.reason)}`,
    ),
  ];
  if (!result.bodyOnly) lines.push("", "Each thread has a reply saying what changed, or why not.");
  return lines.join("\n");
}

/** The issue the pull request implements, from the marker in the body Symphony wrote. */
function implementedIssue(body: string): number | undefined {
  const marker = parseMarkers(body).find((m) => m.kind === "implement-pr");
  const number = Number(marker?.key);
  return Number.isInteger(number) && number > 0 ? number : undefined;
}

async function readConfig(context: ReviewContext): Promise<RepoConfig | undefined> {
  const config = await loadRepoConfigOrProblem(context);
  return config instanceof InvalidConfigError ? undefined : config;
}
