// Operator-set caps on how much one repository or one person may ask of the model per period.
// `NoUsageLimits` is the behaviour with no caps configured; caps from the environment replace it.

export interface UsageRequest {
  /** "owner/repo". */
  repository: string;
  /** The login of the person who asked (the webhook's sender). */
  user: string;
}

export type Admission =
  | { ok: true }
  /** Refused: `reason` is the sentence the user reads; `retryAt` when a run fits again. */
  | { ok: false; reason: string; retryAt: Date; cap?: string };

export interface UsageLimits {
  /** Counts a run against the caps when it is admitted (in Redis: a round trip, hence async). */
  admit(request: UsageRequest): Admission | Promise<Admission>;
  /** Counts the tokens a run spent against the repository's daily cap. */
  recordTokens(repository: string, tokens: number): void;
}

export class NoUsageLimits implements UsageLimits {
  admit(): Admission {
    return { ok: true };
  }

  recordTokens(): void {}
}

/** The operator's caps; a cap left out (or 0) does not apply. */
export interface UsageCaps {
  runsPerRepositoryHour?: number;
  runsPerUserHour?: number;
  tokensPerRepositoryDay?: number;
}

/** The environment variables that set the caps, as docs/operations.md lists them. */
export const USAGE_CAP_VARIABLES = {
  runsPerRepositoryHour: "SYMPHONY_MAX_RUNS_PER_REPO_HOUR",
  runsPerUserHour: "SYMPHONY_MAX_RUNS_PER_USER_HOUR",
  tokensPerRepositoryDay: "SYMPHONY_MAX_TOKENS_PER_REPO_DAY",
} as const satisfies Record<keyof UsageCaps, string>;

export class UsageCapsError extends Error {
  override name = "UsageCapsError";
}

/** Reads the caps; a value that is not a whole number of at least 0 stops start-up with advice. */
export function readUsageCaps(env: Record<string, string | undefined>): UsageCaps {
  const caps: UsageCaps = {};
  for (const [cap, variable] of Object.entries(USAGE_CAP_VARIABLES) as [
    keyof UsageCaps,
    string,
  ][]) {
    const raw = env[variable]?.trim();
    if (raw === undefined || raw === "") continue;
    if (!/^\d+$/.test(raw)) {
      throw new UsageCapsError(
        `${variable} must be a whole number (0 or unset for no cap), got "${raw}"`,
      );
    }
    const value = Number(raw);
    if (value > 0) caps[cap] = value;
  }
  return caps;
}

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** Timestamps (and amounts) within a sliding window. */
class SlidingWindow {
  #entries: { at: number; amount: number }[] = [];

  constructor(readonly spanMs: number) {}

  total(now: number): number {
    this.#prune(now);
    return this.#entries.reduce((sum, entry) => sum + entry.amount, 0);
  }

  add(now: number, amount: number): void {
    this.#entries.push({ at: now, amount });
  }

  /** When enough of the window has expired for the total to be under `cap` again. */
  freesBelow(cap: number, now: number): number {
    let total = this.total(now);
    for (const entry of this.#entries) {
      total -= entry.amount;
      if (total < cap) return entry.at + this.spanMs;
    }
    return now;
  }

  isEmpty(now: number): boolean {
    this.#prune(now);
    return this.#entries.length === 0;
  }

  #prune(now: number): void {
    const from = now - this.spanMs;
    const first = this.#entries.findIndex((entry) => entry.at > from);
    this.#entries = first < 0 ? [] : this.#entries.slice(first);
  }
}

/** One cap as it applies to one request: whose window it counts in, over how long. */
export interface CapRule {
  cap: keyof UsageCaps;
  limit: number;
  /** The repository or the user the window belongs to. */
  subject: string;
  spanMs: number;
  refusal: (limit: number) => string;
}

interface Check extends CapRule {
  window: SlidingWindow;
}

/** The caps in force for a request, tokens first (they are never counted on admission). */
export function capRules(caps: UsageCaps, request: UsageRequest): CapRule[] {
  const { runsPerRepositoryHour, runsPerUserHour, tokensPerRepositoryDay } = caps;
  const rules: CapRule[] = [];
  if (tokensPerRepositoryDay !== undefined) {
    rules.push({
      cap: "tokensPerRepositoryDay",
      limit: tokensPerRepositoryDay,
      subject: request.repository,
      spanMs: DAY_MS,
      refusal: (limit) =>
        `This repository has used its ${limit.toLocaleString("en-US")} model tokens for the day.`,
    });
  }
  if (runsPerRepositoryHour !== undefined) {
    rules.push({
      cap: "runsPerRepositoryHour",
      limit: runsPerRepositoryHour,
      subject: request.repository,
      spanMs: HOUR_MS,
      refusal: (limit) => `This repository has used its ${runs(limit)} for this hour.`,
    });
  }
  if (runsPerUserHour !== undefined) {
    rules.push({
      cap: "runsPerUserHour",
      limit: runsPerUserHour,
      subject: request.user,
      spanMs: HOUR_MS,
      refusal: (limit) => `@${request.user} has used their ${runs(limit)} for this hour.`,
    });
  }
  return rules;
}

/**
 * Caps counted in memory, over sliding windows (the last hour, the last 24 hours). A restart
 * forgets the counts: the caps bound a runaway, they are not billing.
 */
export class EnvUsageLimits implements UsageLimits {
  readonly #caps: UsageCaps;
  readonly #now: () => number;
  readonly #runsPerRepository = new Map<string, SlidingWindow>();
  readonly #runsPerUser = new Map<string, SlidingWindow>();
  readonly #tokensPerRepository = new Map<string, SlidingWindow>();

  constructor(caps: UsageCaps, clock: { now(): number }) {
    this.#caps = caps;
    this.#now = () => clock.now();
  }

  get caps(): Readonly<UsageCaps> {
    return this.#caps;
  }

  admit(request: UsageRequest): Admission {
    const now = this.#now();
    const checks = this.#checks(request);
    for (const check of checks) {
      if (check.window.total(now) < check.limit) continue;
      const retryAt = new Date(check.window.freesBelow(check.limit, now));
      return {
        ok: false,
        retryAt,
        cap: check.cap,
        reason: `${check.refusal(check.limit)} Symphony can run here again after ${describeTime(retryAt, now)}.`,
      };
    }
    for (const check of checks)
      if (check.cap !== "tokensPerRepositoryDay") check.window.add(now, 1);
    this.#forgetIdle(now);
    return { ok: true };
  }

  recordTokens(repository: string, tokens: number): void {
    if (this.#caps.tokensPerRepositoryDay === undefined || tokens <= 0) return;
    windowOf(this.#tokensPerRepository, repository, DAY_MS).add(this.#now(), tokens);
  }

  #checks(request: UsageRequest): Check[] {
    const windows = {
      tokensPerRepositoryDay: this.#tokensPerRepository,
      runsPerRepositoryHour: this.#runsPerRepository,
      runsPerUserHour: this.#runsPerUser,
    };
    return capRules(this.#caps, request).map((rule) => ({
      ...rule,
      window: windowOf(windows[rule.cap], rule.subject, rule.spanMs),
    }));
  }

  /** Keeps memory flat: windows with nothing left in them are dropped. */
  #forgetIdle(now: number): void {
    for (const map of [this.#runsPerRepository, this.#runsPerUser, this.#tokensPerRepository]) {
      if (map.size < 1_000) continue;
      for (const [key, window] of map) if (window.isEmpty(now)) map.delete(key);
    }
  }
}

function windowOf(map: Map<string, SlidingWindow>, key: string, spanMs: number): SlidingWindow {
  let window = map.get(key);
  if (window === undefined) {
    window = new SlidingWindow(spanMs);
    map.set(key, window);
  }
  return window;
}

function runs(limit: number): string {
  return limit === 1 ? "1 run" : `${limit} runs`;
}

/** "14:05 UTC (in 12 minutes)"; the date too when it is not today. */
export function describeTime(at: Date, now: number): string {
  const iso = at.toISOString();
  const sameDay = iso.slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  const clock = `${sameDay ? "" : `${iso.slice(0, 10)} `}${iso.slice(11, 16)} UTC`;
  const minutes = Math.max(1, Math.ceil((at.getTime() - now) / 60_000));
  return `${clock} (in ${minutes === 1 ? "1 minute" : `${minutes} minutes`})`;
}
