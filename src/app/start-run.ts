// The quick part every trigger shares, done while GitHub waits on the webhook: usage caps, the
// status comment, then the model work handed to the queue (or to Actions runners) and return.
import type { Logger } from "probot";
import { refuseDelivery } from "./delivery-scope.js";
import { dispatchToActions, handsOff } from "./hand-off.js";
import { QueueClosedError, QueueFullError, type EnqueueOutcome } from "./queue.js";
import { recordRun } from "./run-log.js";
import type { AppServices } from "./services.js";
import type { RepoConfig } from "../config/schema.js";
import type { GitHubClient, RepoRef } from "../github/client.js";
import { upsertMarkedComment } from "../github/marked-comment.js";
import type { Marker } from "../github/markers.js";
import { StatusComment } from "../github/status-comment.js";

export interface RunJob {
  status: StatusComment;
  /** Aborts when shutdown's grace period ends. */
  signal: AbortSignal;
  log: Logger;
}

export interface RunRequest {
  client: GitHubClient;
  repo: RepoRef;
  services: AppServices;
  config: RepoConfig;
  /** The webhook: its name with action ("issues.labeled"), delivery id, sender and comment. */
  event: { name: string; deliveryId: string; sender: string; commentId?: number; label?: string };
  /** The issue or pull request the status comment goes on. */
  number: number;
  /** The status comment's marker, e.g. `{ kind: "plan", key: "12" }`. */
  marker: Marker;
  /** What the status comment says at once: "Planning… 0/5". */
  initialStatus: string;
  /** Queue key: one run per key at a time. Default `<owner>/<repo>#<number>:<marker kind>`. */
  key?: string;
  /** While the same key runs: queue a follow-up (new input) or ignore (the run covers it). */
  whileRunning: "follow-up" | "ignore";
  log: Logger;
  /** The model work; renders its own result and failures into `job.status`. */
  run(job: RunJob): Promise<void>;
}

export type RunStart =
  | EnqueueOutcome
  /** Sent to the repository's Actions runners (`runner: actions`). */
  | "handed-off"
  /** Refused by an operator cap; the user got one reply saying when to try again. */
  | "limited"
  /** The queue is full or closing; the status comment says so. */
  | "refused";

export async function startRun(request: RunRequest): Promise<RunStart> {
  const { services, repo, log } = request;
  const repository = `${repo.owner}/${repo.repo}`;
  const key = request.key ?? `${repository}#${request.number}:${request.marker.kind}`;
  // A redelivered webhook: its run was queued (or handed off) already, and its status comment is there.
  if (services.queue.hasSeen(request.event.deliveryId)) return "duplicate";

  // The running job covers this trigger: posting "queued" now would overwrite its progress.
  if (request.whileRunning === "ignore" && services.queue.isRunning(key)) return "ignored";

  const admission = await services.limits.admit({ repository, user: request.event.sender });
  if (!admission.ok) {
    await replyOnce(
      request,
      {
        kind: "limit",
        key: `${request.number}:${request.event.sender}`,
      },
      admission.reason,
    );
    log.info({ reason: admission.reason }, "refused by a usage cap");
    return "limited";
  }

  const author = await services.botLogin();
  // Two triggers at once on one issue would both find no status comment and both post one.
  const postStatus = (): Promise<StatusComment> =>
    services.memory.statusPosts.run(
      `${repository}#${request.number}:${renderKey(request.marker)}`,
      () =>
        StatusComment.post(
          {
            client: request.client,
            issue: { ...repo, issue_number: request.number },
            marker: request.marker,
            author,
            clock: services.clock,
            log,
          },
          request.initialStatus,
        ),
    );

  if (handsOff(request.config, services.mode)) {
    await postStatus();
    await dispatchToActions(request.client, repo, {
      event: request.event.name,
      number: request.number,
      delivery_id: request.event.deliveryId,
      sender: request.event.sender,
      ...(request.event.commentId === undefined ? {} : { comment_id: request.event.commentId }),
      ...(request.event.label === undefined ? {} : { label: request.event.label }),
    });
    services.queue.rememberDelivery(request.event.deliveryId);
    log.info("handed to the repository's Actions runners");
    return "handed-off";
  }

  // The status comment is posted in the background: Octokit's write throttle spaces writes a
  // second or more apart per installation, and GitHub is waiting on this webhook. The run waits
  // for the comment; the queue's place is taken at once.
  let status: Promise<StatusComment> | undefined;
  const statusComment = (): Promise<StatusComment> => (status ??= postStatus());
  const { deliveryId } = request.event;
  let outcome: EnqueueOutcome;
  services.runs?.queued(deliveryId, key, statusComment);
  try {
    outcome = services.queue.enqueue({
      key,
      repository,
      deliveryId,
      whileRunning: request.whileRunning,
      run: async (signal) => {
        services.runs?.started(deliveryId);
        const { clock, limits, metrics } = services;
        const details = { event: request.event.name, deliveryId, repository, key, log };
        let comment: StatusComment | undefined;
        try {
          comment = await statusComment();
          const posted = comment;
          await recordRun({ ...details, clock, limits, metrics }, signal, () =>
            request.run({ status: posted, signal, log }),
          );
        } catch (error) {
          // The run renders its own failures; this is the last word for anything it did not.
          // Cut short by shutdown: the shutdown's restart notice is the last word instead.
          if (comment !== undefined && !signal.aborted) {
            await comment.flush(unexpectedFailure(error)).catch(() => undefined);
          }
          throw error;
        } finally {
          services.runs?.finished(deliveryId);
        }
      },
    });
  } catch (error) {
    services.runs?.finished(deliveryId);
    if (!(error instanceof QueueFullError) && !(error instanceof QueueClosedError)) throw error;
    log.warn({ err: error }, "refused: the queue cannot take the run");
    // GitHub then shows the delivery failed (503), and it can be redelivered later.
    refuseDelivery(error.message);
    void statusComment()
      .then((comment) => comment.flush(`⏸️ ${error.message}`))
      .catch((failure: unknown) => log.warn({ err: failure }, "could not say the queue is full"));
    return "refused";
  }
  if (outcome === "ignored" || outcome === "duplicate") {
    services.runs?.finished(deliveryId);
    return outcome;
  }
  if (outcome === "coalesced") services.runs?.coalesced(deliveryId, key);
  // A failed post is the run's failure (it waits for the comment); here it must not go unhandled.
  void statusComment().catch((error: unknown) =>
    log.warn({ err: error }, "could not post the status comment"),
  );
  return outcome;
}

function unexpectedFailure(error: unknown): string {
  const reason = error instanceof Error ? error.message : "an unexpected error";
  return `❌ Symphony stopped: ${reason}\n\nRun the command again; if it keeps failing, the app's logs have the details.`;
}

async function replyOnce(request: RunRequest, marker: Marker, body: string): Promise<void> {
  await upsertMarkedComment(
    request.client,
    { ...request.repo, issue_number: request.number },
    marker,
    body,
    await request.services.botLogin(),
  );
}

function renderKey(marker: Marker): string {
  return `${marker.kind}:${marker.key}`;
}
