// The GitHub client outside Probot (the Action, the CLI), with the retry and throttling Probot gives the App.
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";

type OctokitOptions = NonNullable<ConstructorParameters<typeof Octokit>[0]>;

/** @octokit/rest's client; the plugins add behaviour, not methods Symphony calls. */
export type RestOctokit = Octokit;

// Annotated so that declaration files need not name the plugins' internal types.
const SymphonyOctokit: new (options: OctokitOptions) => RestOctokit = Octokit.plugin(
  retry,
  throttling,
);

/** Where the client logs; a pino logger and `console` both fit. */
export interface RestOctokitLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface RestOctokitOptions {
  /** A token; optional, since public repositories can be read without one. */
  token?: string;
  /** https://api.github.com, or https://<host>/api/v3 for GitHub Enterprise Server. */
  baseUrl?: string;
  fetch?: typeof fetch;
  log?: RestOctokitLog;
  /** Retries after GitHub's primary or secondary rate limit, per request (default 2). */
  rateLimitRetries?: number;
  /** One second unless a test shortens it; scales every retry and rate-limit wait. */
  retryDelayMs?: number;
}

export const USER_AGENT = "symphony";

export function createRestOctokit(options: RestOctokitOptions = {}): RestOctokit {
  const log = options.log ?? quietLog;
  const limit = options.rateLimitRetries ?? 2;
  const delay = options.retryDelayMs ?? 1_000;
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      request: { method: string; url: string },
      _octokit: unknown,
      retryCount: number,
    ) => {
      const retrying = retryCount < limit;
      log.warn(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}: ` +
          (retrying
            ? `retrying in ${retryAfter} s (${retryCount + 1} of ${limit})`
            : `giving up after ${limit} retries`),
      );
      return retrying;
    };
  return new SymphonyOctokit({
    ...(options.token === undefined ? {} : { auth: options.token }),
    ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
    ...(options.fetch === undefined ? {} : { request: { fetch: options.fetch } }),
    userAgent: USER_AGENT,
    log,
    retry: { retryAfterBaseValue: delay },
    throttle: {
      retryAfterBaseValue: delay,
      onRateLimit: onLimit("primary"),
      onSecondaryRateLimit: onLimit("secondary"),
    },
  });
}

// Octokit logs every failed request as an error, although callers handle most of them (a 404
// is often the answer); without a logger only rate-limit notices reach the terminal.
const quietLog: RestOctokitLog = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message) => console.warn(message),
  error: () => undefined,
};
