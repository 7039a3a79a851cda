// Reads `.github/symphony.yml` through Probot's config loader and validates it with the schema.
import { InvalidConfigError } from "./errors.js";
import { repoConfigSchema, type RepoConfig } from "./schema.js";

/**
 * Where the file comes from: Probot's `Context` (default branch, `.github` repository fallback,
 * `_extends`), or any stand-in with the same `config` method (the Action, the CLI).
 */
export interface ConfigSource {
  config<T>(fileName: string, defaultConfig?: T): Promise<T | null>;
}

export const CONFIG_FILE_NAME = "symphony.yml";

/** The repository's settings with defaults filled in; throws InvalidConfigError on a bad file. */
export async function loadRepoConfig(source: ConfigSource): Promise<RepoConfig> {
  // No defaults are passed to Probot: its deep merge would concatenate default and configured
  // arrays (`ignore`), so zod fills the defaults instead.
  let raw: unknown;
  try {
    raw = await source.config<Record<string, unknown>>(CONFIG_FILE_NAME);
  } catch (error) {
    throw unreadableFile(error) ?? error;
  }
  return parseRepoConfig(raw ?? {});
}

/**
 * The settings, or the InvalidConfigError of a broken file for the caller to answer (reply,
 * log, or ignore); anything else (GitHub down, no access) still throws.
 */
export async function loadRepoConfigOrProblem(
  source: ConfigSource,
): Promise<RepoConfig | InvalidConfigError> {
  try {
    return await loadRepoConfig(source);
  } catch (error) {
    if (error instanceof InvalidConfigError) return error;
    throw error;
  }
}

/** Validates an already parsed file (null or undefined: no file, all defaults). */
export function parseRepoConfig(raw: unknown): RepoConfig {
  const result = repoConfigSchema.safeParse(raw ?? {});
  if (!result.success) throw InvalidConfigError.fromZod(result.error);
  return result.data;
}

// The config plugin reports YAML that does not parse as a plain Error; anything else (GitHub
// down, no access) is not the file's fault and propagates unchanged.
function unreadableFile(error: unknown): InvalidConfigError | undefined {
  if (!(error instanceof Error)) return undefined;
  const match = /could not be parsed from .* \((.+)\)/.exec(error.message);
  return match?.[1] === undefined ? undefined : InvalidConfigError.unreadable(match[1]);
}
