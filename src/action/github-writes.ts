// What the run wrote to GitHub, seen on the client's requests: the outputs, the job summary and
// the verdict (a status comment that ends in a failure fails the job) all come from here.
import { parseMarkers, type Marker } from "../github/markers.js";

export interface WrittenComment {
  id: number;
  url: string;
  /** The last body written. */
  body: string;
  markers: Marker[];
}

export interface WrittenLink {
  url: string;
  title: string;
}

/** The part of Octokit's hook API the recorder needs. */
export interface RequestHooks {
  hook: {
    after(
      name: "request",
      hook: (response: { data: unknown }, options: { method: string; url: string }) => void,
    ): void;
  };
}

/** Marker kinds whose comment is itself a failure report. */
const FAILURE_KINDS = new Set(["error", "config-error", "limit"]);

/** How the failure bodies Symphony renders begin (status comments, the command router's reply). */
const FAILURE_OPENINGS = ["❌", "⏸️", "**Symphony could not", "Symphony could not"];

export class GitHubWrites {
  readonly #comments = new Map<number, WrittenComment>();
  readonly pullRequests: WrittenLink[] = [];
  readonly issues: WrittenLink[] = [];
  readonly reviews: WrittenLink[] = [];
  dispatches = 0;

  /** Starts recording every write the client makes from now on. */
  watch(client: RequestHooks): void {
    client.hook.after("request", (response, options) => this.record(options, response.data));
  }

  get comments(): WrittenComment[] {
    return [...this.#comments.values()];
  }

  get nothingWritten(): boolean {
    return (
      this.#comments.size === 0 &&
      this.pullRequests.length === 0 &&
      this.issues.length === 0 &&
      this.reviews.length === 0
    );
  }

  /** Comments whose last body reports a failure. */
  failures(): WrittenComment[] {
    return this.comments.filter(isFailureReport);
  }

  private record(options: { method: string; url: string }, data: unknown): void {
    const route = `${options.method} ${options.url}`;
    if (!isObject(data)) {
      if (route === "POST /repos/{owner}/{repo}/dispatches") this.dispatches += 1;
      return;
    }
    switch (route) {
      case "POST /repos/{owner}/{repo}/issues/{issue_number}/comments":
      case "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}":
        return this.recordComment(data);
      case "POST /repos/{owner}/{repo}/pulls":
        return pushLink(this.pullRequests, data);
      case "POST /repos/{owner}/{repo}/issues":
      case "PATCH /repos/{owner}/{repo}/issues/{issue_number}":
        return pushLink(this.issues, data);
      case "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews":
        return pushLink(this.reviews, data);
    }
  }

  private recordComment(data: Record<string, unknown>): void {
    const { id, html_url: url, body } = data;
    if (typeof id !== "number" || typeof url !== "string") return;
    const text = typeof body === "string" ? body : "";
    this.#comments.set(id, { id, url, body: text, markers: parseMarkers(text) });
  }
}

export function isFailureReport(comment: Pick<WrittenComment, "body" | "markers">): boolean {
  if (comment.markers.some((marker) => FAILURE_KINDS.has(marker.kind))) return true;
  const text = withoutMarkers(comment.body).trimStart();
  return FAILURE_OPENINGS.some((opening) => text.startsWith(opening));
}

/**
 * The body without `<!-- symphony:… -->` markers, in one pass: `/<!-- symphony:[^>]*-->/g` reads
 * to the next `>` again for every opener. A marker ends at the first `>` after its opener.
 */
function withoutMarkers(body: string): string {
  const opener = "<!-- symphony:";
  let out = "";
  let at = 0;
  for (let open = body.indexOf(opener); open >= 0; open = body.indexOf(opener, at)) {
    const end = body.indexOf(">", open + opener.length);
    if (end < 0) break;
    const marker = end - 2 >= open + opener.length && body.startsWith("-->", end - 2);
    // When it is no marker, neither is any opener before this `>`: they all end at it.
    out += body.slice(at, marker ? open : end + 1);
    at = end + 1;
  }
  return out + body.slice(at);
}

function pushLink(links: WrittenLink[], data: Record<string, unknown>): void {
  const { html_url: url, title } = data;
  if (typeof url !== "string" || links.some((link) => link.url === url)) return;
  links.push({ url, title: typeof title === "string" ? title : url });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
