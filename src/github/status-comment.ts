// A status comment that appears at once and is then edited sparsely: Octokit's throttling spaces
// writes about a second apart per installation, so every needless edit delays everyone's work.
import type { Logger } from "probot";
import { systemClock, type CancelTimer, type Clock } from "../lib/clock.js";
import type { GitHubClient, IssueRef } from "./client.js";
import { upsertMarkedComment } from "./marked-comment.js";
import { withMarker, type Marker } from "./markers.js";

export const STATUS_EDIT_INTERVAL_MS = 3_000;

export interface StatusCommentOptions {
  client: GitHubClient;
  issue: IssueRef;
  marker: Marker;
  /** The app's bot login, to find its earlier comment with the same marker. */
  author: string;
  /** Least time between two edits; 3 s unless a test says otherwise. */
  minIntervalMs?: number;
  clock?: Clock;
  /** Where a failed background edit is reported; the next edit or flush() tries again. */
  log?: Pick<Logger, "warn">;
}

export class StatusComment {
  readonly #options: StatusCommentOptions;
  readonly #clock: Clock;
  readonly #interval: number;
  readonly #commentId: number;
  readonly #url: string;
  #written: string;
  #pending: string | undefined;
  #lastWriteAt: number;
  #inFlight: Promise<void> | undefined;
  #cancelTimer: CancelTimer | undefined;
  #flushing = false;
  #frozen = false;

  private constructor(options: StatusCommentOptions, id: number, url: string, body: string) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#interval = options.minIntervalMs ?? STATUS_EDIT_INTERVAL_MS;
    this.#commentId = id;
    this.#url = url;
    this.#written = body;
    this.#lastWriteAt = this.#clock.now();
  }

  /** Writes the first body right away, reusing the marked comment when there is one. */
  static async post(options: StatusCommentOptions, body: string): Promise<StatusComment> {
    const text = withMarker(body, options.marker);
    const { comment } = await upsertMarkedComment(
      options.client,
      options.issue,
      options.marker,
      text,
      options.author,
    );
    return new StatusComment(options, comment.id, comment.html_url, text);
  }

  get commentId(): number {
    return this.#commentId;
  }

  get url(): string {
    return this.#url;
  }

  /** The newest body, written or about to be. */
  get body(): string {
    return this.#pending ?? this.#written;
  }

  /**
   * Writes nothing more: the run was handed to another process, which finishes it in this same
   * comment. Whatever the cut-short run still says (its abort as a failure) stays unwritten.
   */
  freeze(): void {
    this.#frozen = true;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#pending = undefined;
  }

  /** Asks for a new body; written now if the last edit is old enough, else once it is. */
  update(body: string): void {
    if (this.#frozen) return;
    const text = withMarker(body, this.#options.marker);
    this.#pending = text === this.#written ? undefined : text;
    this.#schedule();
  }

  /** Writes the final body (or the newest pending one) immediately, after any edit in flight. */
  async flush(body?: string): Promise<void> {
    if (this.#frozen) return;
    if (body !== undefined) this.#pending = withMarker(body, this.#options.marker);
    this.#flushing = true;
    try {
      this.#cancelTimer?.();
      this.#cancelTimer = undefined;
      while (this.#inFlight !== undefined) await this.#inFlight;
      const text = this.#pending;
      this.#pending = undefined;
      if (text !== undefined && text !== this.#written && !this.#frozen) await this.#write(text);
    } finally {
      this.#flushing = false;
    }
  }

  #schedule(): void {
    if (this.#pending === undefined || this.#flushing || this.#frozen) return;
    if (this.#inFlight !== undefined || this.#cancelTimer !== undefined) return;
    const wait = this.#lastWriteAt + this.#interval - this.#clock.now();
    if (wait > 0) {
      this.#cancelTimer = this.#clock.setTimeout(() => {
        this.#cancelTimer = undefined;
        this.#schedule();
      }, wait);
      return;
    }
    const text = this.#pending;
    this.#pending = undefined;
    this.#inFlight = this.#write(text).then(
      () => {
        this.#inFlight = undefined;
        this.#schedule();
      },
      (error: unknown) => {
        this.#inFlight = undefined;
        // Kept for the next update() or flush(), but not retried on its own: a comment that
        // was deleted would otherwise be retried forever.
        this.#pending ??= text;
        this.#options.log?.warn({ err: error }, "could not edit the status comment");
      },
    );
  }

  async #write(text: string): Promise<void> {
    this.#lastWriteAt = this.#clock.now();
    const { owner, repo } = this.#options.issue;
    await this.#options.client.rest.issues.updateComment({
      owner,
      repo,
      comment_id: this.#commentId,
      body: text,
    });
    this.#written = text;
  }
}
