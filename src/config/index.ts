// The repository settings: schema, loader and the error a broken file produces.
export {
  PERMISSIONS,
  REVIEW_EVENTS,
  defaultRepoConfig,
  repoConfigSchema,
  type AgentName,
  type Permission,
  type RepoConfig,
  type RepoConfigFile,
} from "./schema.js";
export {
  CONFIG_FILE_NAME,
  loadRepoConfig,
  loadRepoConfigOrProblem,
  parseRepoConfig,
  type ConfigSource,
} from "./load.js";
export { CONFIG_PATH, InvalidConfigError, describeProblem, type ConfigProblem } from "./errors.js";
export { configJsonSchema } from "./json-schema.js";
