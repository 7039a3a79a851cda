// Before any work: the model host must answer (Ollama may still be starting beside the runner),
// and must have the model, pulled on request.
import * as core from "@actions/core";
import { Ollama } from "ollama";
import { publicUrl, splitCredentials } from "../runner/host-url.js";
import type { RuntimeSettings } from "../runner/settings.js";
import type { ProviderHealth } from "../runner/types.js";
import { ModelHostError } from "./errors.js";

export interface ModelHost {
  describe(): string;
  health(): Promise<ProviderHealth>;
}

export interface ReadinessOptions {
  waitSeconds: number;
  pullModel: boolean;
  /** Between two health checks; one second unless a test says otherwise. */
  pollMs?: number;
}

/** Waits for the host; pulls or refuses a missing model. Throws ModelHostError with what to do. */
export async function ensureModelHost(
  runtime: ModelHost,
  settings: RuntimeSettings,
  options: ReadinessOptions,
): Promise<ProviderHealth> {
  const first = settings.chain[0]!;
  const host = publicUrl(first.host);
  let health = await waitForAnswer(runtime, options);
  if (!health.reachable) {
    const advice =
      first.provider === "ollama"
        ? "start Ollama on the runner (`ollama serve`, or its systemd service) or set the ollama-host input"
        : "check the fallback-base-url input and that the server runs";
    if (health.problem !== undefined) core.info(health.problem);
    throw new ModelHostError(
      `The model host ${host} did not answer within ${options.waitSeconds} s; ${advice}.`,
    );
  }
  core.info(
    `${host} answered${health.version === undefined ? "" : ` (version ${health.version})`}.`,
  );
  if (health.modelPresent === false) {
    if (!options.pullModel || first.provider !== "ollama") {
      throw new ModelHostError(
        `The model ${first.model} is not on ${host}: run \`ollama pull ${first.model}\` on the runner, or set \`pull-model: true\`.`,
      );
    }
    await pullModel(first.host, first.model);
    health = await runtime.health();
    if (health.modelPresent === false) {
      throw new ModelHostError(
        `Ollama reported the pull of ${first.model} done, yet does not list the model.`,
      );
    }
  }
  return health;
}

async function waitForAnswer(
  runtime: ModelHost,
  options: ReadinessOptions,
): Promise<ProviderHealth> {
  const deadline = Date.now() + options.waitSeconds * 1000;
  const pollMs = options.pollMs ?? 1000;
  let health = await runtime.health();
  let said = false;
  while (!health.reachable && Date.now() < deadline) {
    if (!said) core.info(`Waiting up to ${options.waitSeconds} s for ${runtime.describe()}…`);
    said = true;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, deadline - Date.now())));
    health = await runtime.health();
  }
  return health;
}

/** `ollama pull` through the API, with a progress line every 10 %. */
async function pullModel(host: string, model: string): Promise<void> {
  const { url, authorization } = splitCredentials(host);
  const client = new Ollama({
    host: url,
    ...(authorization === undefined ? {} : { headers: { Authorization: authorization } }),
  });
  core.info(`Pulling ${model} onto ${host}; a large model takes minutes the first time.`);
  let reported = -10;
  try {
    for await (const progress of await client.pull({ model, stream: true })) {
      const percent =
        progress.total > 0 ? Math.floor((progress.completed / progress.total) * 100) : undefined;
      if (percent === undefined) {
        core.info(progress.status);
      } else if (percent >= reported + 10) {
        reported = percent;
        core.info(`${progress.status}: ${percent} %`);
      }
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ModelHostError(`Could not pull ${model} onto ${host}: ${reason}.`);
  }
}
