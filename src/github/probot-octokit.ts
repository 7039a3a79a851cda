// Probot's Octokit for the production server, with two changes: Probot's default answer to a
// secondary rate limit is "give up", Symphony waits the delay GitHub asks for and tries again; and
// with REDIS_URL, the write limits shared through Redis cannot be held by a replica that died.
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

interface BottleneckGroups {
  Group: new (options: Record<string, unknown>) => unknown;
}

/** Idle limiters' state is dropped after this, as the throttling plugin's own groups do. */
const GROUP_TIMEOUT_MS = 120_000;
const clusterGroups = new WeakMap<object, Record<string, unknown>>();

/**
 * The throttling plugin's limiters when Probot shares them through Redis (REDIS_URL). Its own
 * groups count writes as jobs that run one at a time (`maxConcurrent: 1`) and hold their slot
 * while they wait their turn; a replica killed then leaves the slot taken for 60 s (the jobs'
 * expiration), and every write of that installation, on every replica, waits for it. Here the
 * write, notification and search limits are spacing only (`minTime`): each write reserves its
 * start time in Redis, and a dead replica's reservation simply passes. The concurrency limits
 * (10 requests at once per installation, one token request at a time) are kept per replica, where
 * a dead replica cannot hold them.
 */
function throttleGroups(throttle: Record<string, unknown>): Record<string, unknown> {
  const { connection } = throttle;
  const Bottleneck = throttle.Bottleneck as BottleneckGroups | undefined;
  if (typeof connection !== "object" || connection === null || Bottleneck === undefined) return {};
  let groups = clusterGroups.get(connection);
  if (groups === undefined) {
    const spaced = (id: string, minTime: number) =>
      new Bottleneck.Group({ id, minTime, timeout: GROUP_TIMEOUT_MS, connection });
    const local = (id: string, maxConcurrent: number) =>
      new Bottleneck.Group({ id, maxConcurrent, timeout: GROUP_TIMEOUT_MS });
    groups = {
      write: spaced("symphony-write", 1_000),
      notifications: spaced("symphony-notifications", 3_000),
      search: spaced("symphony-search", 2_000),
      global: local("symphony-global", 10),
      auth: local("symphony-auth", 1),
    };
    clusterGroups.set(connection, groups);
  }
  return groups;
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
        ...throttleGroups(throttle),
        ...perInstallation,
        onRateLimit: retryWithinBudget("primary"),
        onSecondaryRateLimit: retryWithinBudget("secondary"),
      },
    };
  },
);
