// Probot's Octokit for the production server, with one change: Probot's default answer to a
// secondary rate limit is "give up"; Symphony waits the delay GitHub asks for and tries again.
import { ProbotOctokit } from "probot";

/** Retries per request after GitHub's primary or secondary rate limit. */
export const RATE_LIMIT_RETRIES = 2;
/** Longer waits than this are not worth holding a run for: the run fails and says so. */
export const LONGEST_RATE_LIMIT_WAIT_S = 120;

interface LimitedRequest {
  method: string;
  url: string;
}
interface OctokitWithLog {
  log: { warn(message: string): void };
}

function retryWithinBudget(kind: string) {
  return (retryAfter: number, request: LimitedRequest, octokit: OctokitWithLog, count = 0) => {
    const retrying = count < RATE_LIMIT_RETRIES && retryAfter <= LONGEST_RATE_LIMIT_WAIT_S;
    octokit.log.warn(
      `GitHub ${kind} rate limit on ${request.method} ${request.url}: ` +
        (retrying
          ? `retrying in ${retryAfter} s (${count + 1} of ${RATE_LIMIT_RETRIES})`
          : `giving up (retry ${count + 1}, ${retryAfter} s asked)`),
    );
    return retrying;
  };
}

/**
 * A defaults function runs after the ones Probot layers over it (see test/support/probot.ts),
 * so these handlers win over Probot's. The throttle id: Probot gives webhook contexts a client
 * without one, so every installation would share one write queue ("no-id": one comment post
 * per 3 s for the whole App); GitHub limits writes per installation, and so does Symphony.
 */
export const SymphonyProbotOctokit: typeof ProbotOctokit = ProbotOctokit.defaults(
  (options: Record<string, unknown>) => {
    const throttle = (options.throttle ?? {}) as Record<string, unknown>;
    const auth = options.auth as { installationId?: unknown } | undefined;
    const perInstallation =
      throttle.id === undefined && auth?.installationId !== undefined
        ? { id: `installation-${String(auth.installationId)}` }
        : {};
    return {
      ...options,
      throttle: {
        ...throttle,
        ...perInstallation,
        onRateLimit: retryWithinBudget("primary"),
        onSecondaryRateLimit: retryWithinBudget("secondary"),
      },
    };
  },
);
