// The Action's inputs (`with:`), and the environment the model runtime reads them from.
import * as core from "@actions/core";
import { ActionInputError } from "./errors.js";

export interface ActionInputs {
  githubToken: string;
  ollamaHost: string;
  model: string;
  fallbackBaseUrl: string;
  fallbackModel: string;
  fallbackApiKey: string;
  /** Where the repository's settings live; default `.github/symphony.yml`. */
  configPath: string;
  /** Whose comments are Symphony's; empty: asked of GitHub for the token. */
  botLogin: string;
  /** `ollama pull` the model when the host lacks it. */
  pullModel: boolean;
  /** How long to wait for the Ollama host to answer. */
  waitForOllamaSeconds: number;
}

export const DEFAULT_CONFIG_PATH = ".github/symphony.yml";
const DEFAULT_WAIT_SECONDS = 120;

/** Reads and checks the inputs; secrets are masked in the log before anything else happens. */
export function readInputs(): ActionInputs {
  const githubToken = core.getInput("github-token");
  const fallbackApiKey = core.getInput("fallback-api-key");
  if (githubToken !== "") core.setSecret(githubToken);
  if (fallbackApiKey !== "") core.setSecret(fallbackApiKey);
  if (githubToken === "") {
    throw new ActionInputError(
      "The github-token input is empty: leave it out to use the workflow's token, or pass a token with issues and pull-requests write access.",
    );
  }
  return {
    githubToken,
    ollamaHost: core.getInput("ollama-host"),
    model: core.getInput("model"),
    fallbackBaseUrl: core.getInput("fallback-base-url"),
    fallbackModel: core.getInput("fallback-model"),
    fallbackApiKey,
    configPath: core.getInput("config-path") || DEFAULT_CONFIG_PATH,
    botLogin: core.getInput("bot-login"),
    pullModel: readBoolean("pull-model"),
    waitForOllamaSeconds: readSeconds("wait-for-ollama"),
  };
}

/**
 * The runtime's environment: inputs override the runner's variables of the same meaning, and
 * inputs left out keep what the runner sets (OLLAMA_HOST on a GPU machine, for example).
 */
export function runtimeEnvironment(
  inputs: ActionInputs,
  env: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  const mapped: Record<string, string> = {
    OLLAMA_HOST: inputs.ollamaHost,
    SYMPHONY_MODEL: inputs.model,
    OPENAI_BASE_URL: inputs.fallbackBaseUrl,
    SYMPHONY_FALLBACK_MODEL: inputs.fallbackModel,
    OPENAI_API_KEY: inputs.fallbackApiKey,
  };
  const result: NodeJS.ProcessEnv = { ...env };
  for (const [name, value] of Object.entries(mapped)) if (value !== "") result[name] = value;
  return result;
}

function readBoolean(name: string): boolean {
  const raw = core.getInput(name).toLowerCase();
  if (raw === "" || raw === "false") return false;
  if (raw === "true") return true;
  throw new ActionInputError(`The ${name} input must be true or false (it is "${raw}").`);
}

function readSeconds(name: string): number {
  const raw = core.getInput(name);
  if (raw === "") return DEFAULT_WAIT_SECONDS;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw new ActionInputError(
      `The ${name} input must be a whole number of seconds (it is "${raw}").`,
    );
  }
  return seconds;
}
