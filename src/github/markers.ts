// Hidden markers `<!-- symphony:<kind>:<key> -->` by which Symphony finds its own comments again.

export interface Marker {
  /** What the comment is: "plan", "review", "help", "config-error", … */
  kind: string;
  /** Which one: an issue number, a comment id, a pull request and commit, … */
  key: string;
}

const KIND = /^[a-z][a-z0-9-]*$/;
const KEY = /^[A-Za-z0-9._/#:@-]+$/;
const MARKER = /<!-- symphony:([a-z][a-z0-9-]*):([A-Za-z0-9._/#:@-]+) -->/g;

export function renderMarker(marker: Marker): string {
  if (!KIND.test(marker.kind)) {
    throw new TypeError(`marker kind ${JSON.stringify(marker.kind)} must match ${KIND}`);
  }
  const key = marker.key;
  // "-->" would end the HTML comment early, so keys never contain "--".
  if (!KEY.test(key) || key.includes("--")) {
    throw new TypeError(`marker key ${JSON.stringify(key)} must match ${KEY} without "--"`);
  }
  return `<!-- symphony:${marker.kind}:${key} -->`;
}

/** Every marker in a comment body, in order. */
export function parseMarkers(body: string): Marker[] {
  return [...body.matchAll(MARKER)].map(([, kind = "", key = ""]) => ({ kind, key }));
}

export function hasMarker(body: string | null | undefined, marker: Marker): boolean {
  return body?.includes(renderMarker(marker)) ?? false;
}

/** The body with the marker on its first line, added only when it is not there yet. */
export function withMarker(body: string, marker: Marker): string {
  return hasMarker(body, marker) ? body : `${renderMarker(marker)}\n${body}`;
}
