// SYMPHONY_MODEL_HOSTS as the operator writes it: several model servers, Ollama by default,
// OpenAI-compatible with the `openai+` prefix, each with its own concurrency and credentials.
import { normalizeBaseUrl, normalizeOllamaHost, publicUrl } from "./host-url.js";
import { SecretValue } from "./secret-value.js";
import type { ProviderKind } from "./types.js";

export interface ModelHostSettings {
  kind: ProviderKind;
  /** Normalized URL (may carry Basic credentials for a proxy; `publicUrl` strips them). */
  url: string;
  /** Requests this host serves at once (`#parallel=N`, else SYMPHONY_MODEL_CONCURRENCY). */
  parallel: number;
  /** API key, read from the variable `#key=VAR` names, else OPENAI_API_KEY for OpenAI hosts. */
  apiKey?: SecretValue;
}

const MAX_PARALLEL = 64;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses the comma-separated list. Per-host options go in the URL's fragment, which no client
 * ever sends: `http://gpu-a:11434#parallel=4`, `openai+https://vllm/v1#parallel=16&key=VLLM_KEY`.
 * A key is never written inline: `key=` names the environment variable that holds it.
 * @throws TypeError with a sentence naming the entry at fault.
 */
export function parseModelHosts(
  raw: string,
  env: NodeJS.ProcessEnv,
  defaultParallel: number,
): ModelHostSettings[] {
  const entries = raw
    .split(/[\s,]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  const hosts = entries.map((entry) => parseEntry(entry, env, defaultParallel));
  const seen = new Set<string>();
  for (const host of hosts) {
    const key = `${host.kind} ${publicUrl(host.url)}`;
    if (seen.has(key)) throw new TypeError(`${publicUrl(host.url)} is listed twice`);
    seen.add(key);
  }
  return hosts;
}

function parseEntry(entry: string, env: NodeJS.ProcessEnv, defaultParallel: number) {
  const openai = entry.startsWith("openai+");
  const hashAt = entry.indexOf("#");
  const address = (hashAt >= 0 ? entry.slice(0, hashAt) : entry).replace(/^(openai|ollama)\+/, "");
  const options = new URLSearchParams(hashAt >= 0 ? entry.slice(hashAt + 1) : "");
  let url: string;
  try {
    url = openai ? normalizeBaseUrl(address) : normalizeOllamaHost(address);
  } catch {
    throw new TypeError(`"${safeShown(address)}" is not a host or URL`);
  }
  const shown = publicUrl(url);
  for (const name of options.keys()) {
    if (name !== "parallel" && name !== "key") {
      throw new TypeError(`${shown} has an unknown option "${name}" (use parallel= or key=)`);
    }
  }
  const host: ModelHostSettings = {
    kind: openai ? "openai" : "ollama",
    url,
    parallel: parallelOf(options.get("parallel"), shown, defaultParallel),
  };
  const key = keyOf(options.get("key"), shown, env, openai);
  if (key !== undefined) host.apiKey = key;
  return host;
}

function parallelOf(raw: string | null, shown: string, fallback: number): number {
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > MAX_PARALLEL) {
    throw new TypeError(
      `${shown} has parallel=${raw}; use a whole number from 1 to ${MAX_PARALLEL}`,
    );
  }
  return value;
}

function keyOf(
  variable: string | null,
  shown: string,
  env: NodeJS.ProcessEnv,
  openai: boolean,
): SecretValue | undefined {
  if (variable === null) {
    const shared = env["OPENAI_API_KEY"]?.trim();
    return openai && shared ? new SecretValue(shared) : undefined;
  }
  if (!VARIABLE_NAME.test(variable)) {
    throw new TypeError(
      `${shown} has key=${variable}; name the environment variable holding the key`,
    );
  }
  const value = env[variable]?.trim();
  if (!value) throw new TypeError(`${shown} reads its key from ${variable}, which is not set`);
  return new SecretValue(value);
}

/** An unparsable entry shown without anything that looks like credentials. */
function safeShown(text: string): string {
  return text.replace(/\/\/[^@/]*@/, "//…@").slice(0, 120);
}
