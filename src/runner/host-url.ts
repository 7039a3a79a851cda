// Host addresses as operators write them, turned into URLs the clients accept and logs may show.

const OLLAMA_PORT = "11434";

/**
 * OLLAMA_HOST as the Ollama CLI reads it: "0.0.0.0", ":11434", "gpu-box:11434" and full URLs all
 * work, since operators often share one value between the server (which binds to it) and clients.
 * Throws a TypeError when no URL can be made of it.
 */
export function normalizeOllamaHost(raw: string): string {
  let text = raw.trim();
  let explicitScheme = text.includes("://");
  if (text.startsWith(":")) {
    text = `http://127.0.0.1${text}`;
    explicitScheme = true;
  }
  if (!explicitScheme) text = `http://${text}`;
  const url = new URL(text);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`unsupported scheme ${url.protocol}`);
  }
  // A bind-all address is where the server listens, not where a client can connect.
  if (url.hostname === "0.0.0.0") url.hostname = "127.0.0.1";
  if (url.hostname === "[::]") url.hostname = "[::1]";
  if (url.port === "" && !explicitScheme) url.port = OLLAMA_PORT;
  return withoutTrailingSlash(url.toString());
}

/** OPENAI_BASE_URL: an http(s) URL, kept with its path (".../v1"). */
export function normalizeBaseUrl(raw: string): string {
  const url = new URL(raw.trim());
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`unsupported scheme ${url.protocol}`);
  }
  return withoutTrailingSlash(url.toString());
}

/** The URL without user and password, for logs, errors and usage records. */
export function publicUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.username === "" && url.password === "") return raw;
    url.username = "";
    url.password = "";
    return withoutTrailingSlash(url.toString());
  } catch {
    return "(unparsable URL)";
  }
}

/**
 * Splits user and password off a URL into a Basic Authorization header: fetch refuses URLs that
 * carry credentials, and an Ollama behind an authenticating proxy is addressed that way.
 */
export function splitCredentials(raw: string): { url: string; authorization?: string } {
  const url = new URL(raw);
  if (url.username === "" && url.password === "") return { url: raw };
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  return { url: publicUrl(raw), authorization };
}

function withoutTrailingSlash(text: string): string {
  return text.endsWith("/") ? text.slice(0, -1) : text;
}
