// `.github/<file>` read the way Probot's `context.config` reads it, for runs without a webhook
// (the Action, the App's refactor timer).
import type { ProbotOctokit } from "probot";
import type { ConfigSource } from "../config/load.js";
import type { RepoRef } from "./client.js";

export function repositoryConfigSource(
  client: Pick<ProbotOctokit, "config">,
  repo: RepoRef,
): ConfigSource {
  return {
    async config<T>(fileName: string): Promise<T | null> {
      const { config, files } = await client.config.get({ ...repo, path: `.github/${fileName}` });
      return files.some((file) => file.config !== null) ? (config as T) : null;
    },
  };
}
