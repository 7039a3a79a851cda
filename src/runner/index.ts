// The model runtime's public entry: settings from the environment, and the runtime built from them.
export { loadRuntimeSettings, DEFAULT_MODEL, DEFAULT_OLLAMA_HOST } from "./settings.js";
export type { RuntimeSettings, ModelLinkSettings } from "./settings.js";
export { createModelRuntime } from "./create-runtime.js";
export type { RuntimeLogger, RuntimeOptions, SymphonyRuntime } from "./runtime.js";
export type { Backoff } from "./retry-policy.js";
export { SecretValue } from "./secret-value.js";
export * from "./types.js";
export * from "./errors.js";
export { ReplyCutOffError } from "./cut-off.js";
export type { HostCallReport, HostStatus } from "./host-pool.js";
export type { ModelHostSettings } from "./model-hosts.js";
