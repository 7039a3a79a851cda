// The cluster's settings from the operator's environment: REDIS_URL turns it on; the rest tune it.
export interface ClusterSettings {
  /** redis://host:port/db, as Probot's own REDIS_URL. */
  url: string;
  /** Jobs this replica runs at once (SYMPHONY_QUEUE_CONCURRENCY, default 2). */
  concurrency: number;
  /**
   * How long a replica's hold on a job lasts without renewal (SYMPHONY_REDIS_LOCK_MS, default
   * 30 s): a replica killed mid-run has its job taken up again by another within about this long.
   */
  lockMs: number;
  /**
   * Runs of one repository at once across the cluster (SYMPHONY_QUEUE_REPO_CONCURRENCY, default
   * 1): at 1 a repository's runs go one after another in order of arrival, each writing its
   * result before the next starts; more lets one busy repository use more of the cluster, and its
   * runs then start in order but may finish in any order.
   */
  repoConcurrency: number;
  /** Redis key prefix (SYMPHONY_REDIS_PREFIX, default "symphony"): several apps, one Redis. */
  prefix: string;
}

export class ClusterSettingsError extends Error {
  override name = "ClusterSettingsError";
}

/** The settings when REDIS_URL is set, else undefined (the in-memory queue). */
export function readClusterSettings(env: NodeJS.ProcessEnv): ClusterSettings | undefined {
  const url = env.REDIS_URL?.trim();
  if (url === undefined || url === "") return undefined;
  if (!/^rediss?:\/\//.test(url)) {
    throw new ClusterSettingsError(
      `REDIS_URL must start with redis:// or rediss:// (it is "${url}"), e.g. redis://redis:6379`,
    );
  }
  return {
    url,
    concurrency: whole(env, "SYMPHONY_QUEUE_CONCURRENCY", 2, 1, 1_000),
    lockMs: whole(env, "SYMPHONY_REDIS_LOCK_MS", 30_000, 200, 600_000),
    repoConcurrency: whole(env, "SYMPHONY_QUEUE_REPO_CONCURRENCY", 1, 1, 1_000),
    prefix: env.SYMPHONY_REDIS_PREFIX?.trim() || "symphony",
  };
}

function whole(
  env: NodeJS.ProcessEnv,
  variable: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[variable]?.trim();
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ClusterSettingsError(
      `${variable} must be a whole number from ${min} to ${max} (it is "${raw}")`,
    );
  }
  return value;
}
