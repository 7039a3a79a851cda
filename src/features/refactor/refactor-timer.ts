// The App's own refactor schedule (`refactor.every`): one light tick per process that finds the
// repositories due for a refresh. The last run's date lives in the rolling issue, so a restart
// neither loses the schedule nor refreshes early; with Redis, the replica that claims a due date
// first refreshes it and the others leave it (services.claimOnce).
import type { Logger, Probot, ProbotOctokit } from "probot";
import type { CancelTimer } from "../../lib/clock.js";
import { QueueClosedError, QueueFullError } from "../../app/queue.js";
import type { AppServices } from "../../app/services.js";
import { InvalidConfigError } from "../../config/errors.js";
import { loadRepoConfigOrProblem } from "../../config/load.js";
import { repositoryConfigSource } from "../../github/config-file.js";
import type { RepoRef } from "../../github/client.js";
import { appInstallations, installationRepositories } from "../../github/repository.js";
import { isRefactorRunDue, refactorInterval } from "./config.js";
import { parseRefactorState } from "./refactor-state.js";
import { findRollingIssue } from "./refactor-issue.js";
import { refreshRefactorIssue } from "./refactor-run.js";

/** How often the process looks for due repositories. */
export const REFACTOR_TICK_MS = 3_600_000;
/** The first look after start-up: late enough not to slow it down. */
export const REFACTOR_FIRST_TICK_MS = 5 * 60_000;
/** Repositories without a timer (or paused) are looked at again after this: config may change. */
const RECHECK_MS = 86_400_000;
/** After a refresh is queued: soon enough to retry one that failed. */
const RETRY_MS = 6 * 3_600_000;

export type RefactorTimerApp = Pick<Probot, "auth">;

export interface RefactorTimerOptions {
  tickMs?: number;
  firstTickMs?: number;
}

export class RefactorTimer {
  readonly #app: RefactorTimerApp;
  readonly #services: AppServices;
  readonly #log: Logger;
  readonly #tickMs: number;
  readonly #firstTickMs: number;
  /** Per repository ("owner/repo"): no need to look before this time. */
  readonly #nextCheck = new Map<string, number>();
  #cancel: CancelTimer | undefined;
  #ticking: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(app: RefactorTimerApp, services: AppServices, options: RefactorTimerOptions = {}) {
    this.#app = app;
    this.#services = services;
    this.#log = services.log.child({ name: "symphony:refactor-timer" });
    this.#tickMs = options.tickMs ?? REFACTOR_TICK_MS;
    this.#firstTickMs = options.firstTickMs ?? REFACTOR_FIRST_TICK_MS;
  }

  start(): void {
    this.#arm(this.#firstTickMs);
  }

  stop(): void {
    this.#stopped = true;
    this.#cancel?.();
  }

  /** Resolves once the tick in progress (if any) is done: for tests and shutdown. */
  settled(): Promise<void> {
    return this.#ticking;
  }

  #arm(ms: number): void {
    if (this.#stopped) return;
    this.#cancel = this.#services.clock.setTimeout(
      () => {
        this.#ticking = this.tick()
          .catch((error: unknown) => this.#log.error({ err: error }, "the refactor timer failed"))
          .finally(() => this.#arm(this.#tickMs));
      },
      ms,
      { unref: true },
    );
  }

  /** Looks at every repository of every installation whose check is due. */
  async tick(): Promise<void> {
    const appClient = await this.#app.auth();
    for await (const installation of appInstallations(appClient)) {
      if (installation.suspended_at) continue;
      await this.#tickInstallation(installation.id).catch((error: unknown) =>
        this.#log.warn({ err: error, installation: installation.id }, "skipped an installation"),
      );
    }
  }

  async #tickInstallation(installationId: number): Promise<void> {
    const client = await this.#app.auth(installationId);
    for await (const repository of installationRepositories(client)) {
      if (repository.archived || repository.disabled) continue;
      const name = repository.full_name;
      if ((this.#nextCheck.get(name) ?? 0) > this.#services.clock.now()) continue;
      const repo = { owner: repository.owner.login, repo: repository.name };
      const next = await this.#check(client, repo).catch((error: unknown) => {
        this.#log.warn({ err: error, repository: name }, "could not check the refactor timer");
        return this.#tickMs;
      });
      this.#nextCheck.set(name, this.#services.clock.now() + next);
    }
  }

  /** Queues the refresh when it is due; resolves to how long until the next look. */
  async #check(client: ProbotOctokit, repo: RepoRef): Promise<number> {
    const now = this.#services.clock.now();
    const full = `${repo.owner}/${repo.repo}`;
    const config = await loadRepoConfigOrProblem(repositoryConfigSource(client, repo));
    if (config instanceof InvalidConfigError) return RECHECK_MS;
    const interval = refactorInterval(config.refactor.every);
    // `runner: actions` repositories refresh from their own workflow's schedule.
    if (interval === undefined || config.runner === "actions") return RECHECK_MS;
    const issue = await findRollingIssue(client, repo);
    if (issue?.state === "closed") return RECHECK_MS;
    const lastRun = parseRefactorState(issue?.body)?.lastRun;
    if (!isRefactorRunDue(config.refactor.every, lastRun, new Date(now))) {
      return Math.max(this.#tickMs, Date.parse(lastRun!) + interval - now);
    }
    const log = this.#log.child({ repository: full });
    // With Redis every replica's timer finds it due: the first to claim this due date refreshes.
    const claim = `refactor:${full}:${lastRun ?? "never"}`;
    if (!((await this.#services.claimOnce?.(claim, Math.min(interval, RETRY_MS))) ?? true)) {
      log.debug({ lastRun: lastRun ?? null }, "another replica refreshes it");
      return Math.min(interval, RETRY_MS);
    }
    try {
      this.#services.queue.enqueue({
        key: `${full}:refactor-timer`,
        repository: full,
        whileRunning: "ignore",
        run: async (signal) => {
          await refreshRefactorIssue({
            client,
            repo,
            config,
            services: this.#services,
            trigger: "timer",
            signal,
            log,
          });
        },
      });
      log.info({ lastRun: lastRun ?? null }, "refactor refresh queued by the timer");
    } catch (error) {
      if (!(error instanceof QueueFullError) && !(error instanceof QueueClosedError)) throw error;
      log.warn({ err: error }, "the refactor refresh waits for the next tick");
      return this.#tickMs;
    }
    return Math.min(interval, RETRY_MS);
  }
}
