// Model-host failures as a user may read them: where the operator's GPUs are (host names, URLs,
// addresses) stays in the logs; a status comment says "the model host".

const GENERIC = "the model host";
/** How the runtime's messages introduce a host, and how the host itself may quote one. */
const INTRODUCTIONS = ["the Ollama host ", "the OpenAI-compatible endpoint ", "the model host "];
/** Up to a blank or bracket; punctuation after it ("…:11434: run …") is the sentence's. */
const URLS = /\b[a-z][a-z0-9+.-]*:\/\/(?:[^\s"'`<>()[\]]*[^\s"'`<>()[\].,;:!?])?/gi;
const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/g;

/** Each host as written (`http://gpu-a.internal:11434`) and its bare name (`gpu-a.internal`). */
function namesOf(hosts: readonly string[]): string[] {
  const names = new Set<string>();
  for (const host of hosts) {
    if (host.trim() === "") continue;
    names.add(host);
    names.add(host.replace(/\/+$/, ""));
    try {
      const url = new URL(host.includes("://") ? host : `http://${host}`);
      names.add(url.host);
      names.add(url.hostname);
    } catch {
      // Not a URL: the text as written is all there is to hide.
    }
  }
  // Longest first, so `http://gpu-a:11434` goes whole before `gpu-a` is looked for.
  return [...names].filter((name) => name !== "").sort((a, b) => b.length - a.length);
}

/**
 * The message with every named host, every URL and every IPv4 address replaced by "the model
 * host" ("could not talk to the Ollama host http://gpu-a.internal:11434 (connection refused)"
 * becomes "could not talk to the model host (connection refused)"). A host's own words can name
 * a machine only in one of those forms, or by a name the operator gave (`hosts`).
 */
export function withoutHostNames(message: string, hosts: readonly string[]): string {
  // Whole URLs first, paths included, then what is left of the named hosts (`gpu-a:11434`).
  let text = message.replace(URLS, GENERIC).replace(IPV4, GENERIC);
  for (const name of namesOf(hosts)) text = text.replaceAll(name, GENERIC);
  for (const introduction of INTRODUCTIONS) {
    text = text.replaceAll(introduction + GENERIC, GENERIC);
  }
  return text;
}
