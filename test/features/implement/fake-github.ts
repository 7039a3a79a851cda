// A repository on a nock'd GitHub that keeps state the way GitHub does: blobs, trees over base
// trees, commits, refs, pull requests, issue comments and review threads. Every write is recorded
// as sent, and the files of a branch are rebuilt from those recorded requests alone.
import { createHash } from "node:crypto";
import nock from "nock";
import { changedLineCount } from "../../../src/editing/diff.js";
import { EXAMPLE_REPO, issueComment } from "../../support/github.js";
import { GITHUB_API, TEST_BOT_LOGIN } from "../../support/probot.js";

type Mode = "100644" | "100755" | "120000" | "160000";
interface Entry {
  mode: Mode;
  sha: string;
}
interface Commit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  login: string;
}

export interface FixtureFile {
  content: string;
  mode?: Mode;
}

export interface SentTree {
  base_tree: string;
  tree: { path: string; mode: string; type: string; sha: string }[];
}

export interface FakeRepoOptions {
  /** The default branch's files. */
  files: Record<string, string | FixtureFile>;
  defaultBranch?: string;
  botLogin?: string;
}

const REPO = `/repos/${EXAMPLE_REPO.owner}/${EXAMPLE_REPO.repo}`;

export function reviewCommentUrl(pull: number, comment: number): string {
  return `https://github.com/Codertocat/Hello-World/pull/${pull}#discussion_r${comment}`;
}

export class FakeGitHub {
  readonly defaultBranch: string;
  readonly botLogin: string;
  readonly blobs = new Map<string, string>();
  readonly trees = new Map<string, Map<string, Entry>>();
  readonly commits = new Map<string, Commit>();
  readonly refs = new Map<string, string>();
  readonly comments = new Map<number, { issue: number; body: string; login: string }>();
  readonly pulls: {
    number: number;
    head: string;
    base: string;
    title: string;
    body: string;
    draft: boolean;
    state: string;
  }[] = [];
  readonly reviewComments = new Map<
    number,
    {
      id: number;
      in_reply_to_id?: number;
      path: string;
      line: number;
      body: string;
      diff_hunk: string;
    }[]
  >();
  /** Writes as they were sent. */
  readonly sent = {
    blobs: [] as { content: string; encoding: string }[],
    trees: [] as SentTree[],
    commits: [] as { message: string; tree: string; parents: string[] }[],
    refCreates: [] as { ref: string; sha: string }[],
    refUpdates: [] as { ref: string; sha: string; force: boolean }[],
    pullCreates: [] as {
      title: string;
      head: string;
      base: string;
      body: string;
      draft?: boolean;
    }[],
    pullUpdates: [] as { number: number; body: string }[],
    replies: [] as { pull: number; comment: number; body: string }[],
    commentUpdates: [] as { id: number; body: string }[],
  };
  #nextComment = 1000;
  #nextPull = 50;

  constructor(options: FakeRepoOptions) {
    this.defaultBranch = options.defaultBranch ?? "main";
    this.botLogin = options.botLogin ?? TEST_BOT_LOGIN;
    const entries = new Map<string, Entry>();
    for (const [path, file] of Object.entries(options.files)) {
      const { content, mode = "100644" } = typeof file === "string" ? { content: file } : file;
      entries.set(path, { mode, sha: this.#blob(content) });
    }
    const tree = this.#tree(entries);
    const root = this.#commit({ tree, parents: [], message: "Initial commit", login: "octocat" });
    this.refs.set(this.defaultBranch, root);
  }

  /** A branch made by someone (by default a person) with one commit changing `files`. */
  addBranch(
    name: string,
    files: Record<string, string>,
    login = "octocat",
    message = "Work in progress",
  ): string {
    const parent = this.commits.get(this.refs.get(this.defaultBranch)!)!;
    const entries = new Map(this.trees.get(parent.tree)!);
    for (const [path, content] of Object.entries(files))
      entries.set(path, { mode: "100644", sha: this.#blob(content) });
    const sha = this.#commit({ tree: this.#tree(entries), parents: [parent.sha], message, login });
    this.refs.set(name, sha);
    return sha;
  }

  addPull(head: string, body = ""): number {
    const number = this.#nextPull++;
    this.pulls.push({
      number,
      head,
      base: this.defaultBranch,
      title: "",
      body,
      draft: true,
      state: "open",
    });
    return number;
  }

  addComment(issue: number, body: string, login = this.botLogin): number {
    const id = this.#nextComment++;
    this.comments.set(id, { issue, body, login });
    return id;
  }

  /** The files a branch holds, rebuilt from the fixture and the trees that were sent. */
  filesAt(branch: string): Record<string, string> {
    const commit = this.commits.get(this.refs.get(branch) ?? "");
    if (commit === undefined) throw new Error(`no branch ${branch}`);
    const files: Record<string, string> = {};
    for (const [path, entry] of this.trees.get(commit.tree)!)
      files[path] = this.blobs.get(entry.sha) ?? "";
    return files;
  }

  /** The commits a branch has beyond the default branch, oldest first. */
  commitsOn(branch: string): Commit[] {
    return this.#ahead(this.refs.get(this.defaultBranch)!, this.refs.get(branch)!);
  }

  commentsOn(issue: number): { id: number; body: string; login: string }[] {
    return [...this.comments].filter(([, c]) => c.issue === issue).map(([id, c]) => ({ id, ...c }));
  }

  /** Answers every route the implementation uses, for as long as the test runs. */
  install(): nock.Scope {
    const scope = nock(GITHUB_API).persist();
    const path = (pattern: string) => new RegExp(`^${REPO}${pattern}(\\?.*)?$`);
    scope
      .get(new RegExp(`^${REPO}$`))
      .reply(200, { default_branch: this.defaultBranch, full_name: "Codertocat/Hello-World" });
    scope.get(path("/branches/(.+)")).reply((uri) => {
      const name = decodeURIComponent(/branches\/([^?]+)/.exec(uri)![1]!);
      const commit = this.commits.get(this.refs.get(name) ?? "");
      if (commit === undefined) return [404, { message: "Branch not found" }];
      return [200, { name, commit: { sha: commit.sha, commit: { tree: { sha: commit.tree } } } }];
    });
    scope.get(path("/readme")).reply(404, { message: "Not Found" });
    scope.get(path("/git/ref/(.+)")).reply((uri) => {
      const ref = decodeURIComponent(/git\/ref\/([^?]+)/.exec(uri)![1]!).replace(/^heads\//, "");
      const sha = this.refs.get(ref);
      if (sha === undefined) return [404, { message: "Not Found" }];
      return [200, { ref: `refs/heads/${ref}`, object: { sha, type: "commit" } }];
    });
    scope.get(path("/git/commits/([0-9a-f]+)")).reply((uri) => {
      const commit = this.commits.get(/commits\/([0-9a-f]+)/.exec(uri)![1]!);
      return commit === undefined
        ? [404, {}]
        : [200, { sha: commit.sha, tree: { sha: commit.tree }, message: commit.message }];
    });
    scope.get(path("/git/trees/([0-9a-f]+)")).reply((uri) => {
      const tree = this.trees.get(/trees\/([0-9a-f]+)/.exec(uri)![1]!);
      if (tree === undefined) return [404, {}];
      const listing = [...tree].map(([p, e]) => ({
        path: p,
        mode: e.mode,
        type: e.mode === "160000" ? "commit" : "blob",
        sha: e.sha,
        size: Buffer.byteLength(this.blobs.get(e.sha) ?? ""),
      }));
      return [200, { sha: "t", tree: listing, truncated: false }];
    });
    scope.get(path("/git/blobs/([0-9a-f]+)")).reply((uri) => {
      const content = this.blobs.get(/blobs\/([0-9a-f]+)/.exec(uri)![1]!);
      if (content === undefined) return [404, {}];
      return [200, { content: Buffer.from(content).toString("base64"), encoding: "base64" }];
    });
    scope.get(path("/compare/(.+)")).reply((uri) => {
      const [base, head] = decodeURIComponent(/compare\/([^?]+)/.exec(uri)![1]!).split("...");
      const baseSha = this.refs.get(base!)!;
      const headSha = this.refs.get(head!);
      if (headSha === undefined) return [404, {}];
      const commits = this.#ahead(baseSha, headSha).map((c) => ({
        sha: c.sha,
        commit: { message: c.message },
        author: { login: c.login },
        committer: { login: "web-flow" },
      }));
      return [200, { commits, files: this.#diff(baseSha, headSha) }];
    });
    scope
      .post(path("/git/blobs"), (body: { content: string; encoding: string }) => {
        this.sent.blobs.push(body);
        return true;
      })
      .reply(201, (_uri, body) => ({ sha: this.#blob((body as { content: string }).content) }));
    scope.post(path("/git/trees")).reply(201, (_uri, raw) => {
      const body = raw as SentTree;
      this.sent.trees.push(body);
      const entries = new Map(this.trees.get(body.base_tree) ?? []);
      for (const e of body.tree) entries.set(e.path, { mode: e.mode as Mode, sha: e.sha });
      return { sha: this.#tree(entries) };
    });
    scope.post(path("/git/commits")).reply(201, (_uri, raw) => {
      const body = raw as { message: string; tree: string; parents: string[] };
      this.sent.commits.push(body);
      return { sha: this.#commit({ ...body, login: this.botLogin }) };
    });
    scope.post(path("/git/refs")).reply((_uri, raw) => {
      const body = raw as { ref: string; sha: string };
      this.sent.refCreates.push(body);
      const name = body.ref.replace(/^refs\/heads\//, "");
      if (this.refs.has(name)) return [422, { message: "Reference already exists" }];
      this.refs.set(name, body.sha);
      return [201, { ref: body.ref, object: { sha: body.sha } }];
    });
    scope.patch(path("/git/refs/(.+)")).reply((uri, raw) => {
      const body = raw as { sha: string; force: boolean };
      const name = decodeURIComponent(/git\/refs\/([^?]+)/.exec(uri)![1]!).replace(/^heads\//, "");
      this.sent.refUpdates.push({ ref: name, ...body });
      const current = this.refs.get(name);
      if (current === undefined) return [422, { message: "Reference does not exist" }];
      if (!body.force && !this.#ahead(current, body.sha).length)
        return [422, { message: "Update is not a fast forward" }];
      this.refs.set(name, body.sha);
      return [200, { ref: `refs/heads/${name}`, object: { sha: body.sha } }];
    });
    scope.get(path("/pulls")).reply((uri) => {
      const head = new URL(uri, GITHUB_API).searchParams.get("head")?.split(":")[1];
      const found = this.pulls.filter(
        (p) => p.state === "open" && (head === undefined || p.head === head),
      );
      return [200, found.map((p) => this.#pullJson(p))];
    });
    scope.post(path("/pulls")).reply(201, (_uri, raw) => {
      const body = raw as {
        title: string;
        head: string;
        base: string;
        body: string;
        draft?: boolean;
      };
      this.sent.pullCreates.push(body);
      const number = this.#nextPull++;
      const pull = { number, ...body, draft: body.draft ?? false, state: "open" };
      this.pulls.push(pull);
      return this.#pullJson(pull);
    });
    scope.patch(path("/pulls/(\\d+)")).reply((uri, raw) => {
      const number = Number(/pulls\/(\d+)/.exec(uri)![1]);
      const body = raw as { body: string };
      this.sent.pullUpdates.push({ number, body: body.body });
      const pull = this.pulls.find((p) => p.number === number)!;
      pull.body = body.body;
      return [200, this.#pullJson(pull)];
    });
    scope.get(path("/pulls/(\\d+)")).reply((uri) => {
      const number = Number(/pulls\/(\d+)/.exec(uri)![1]);
      const pull = this.pulls.find((p) => p.number === number);
      return pull === undefined ? [404, { message: "Not Found" }] : [200, this.#pullJson(pull)];
    });
    scope.get(path("/pulls/(\\d+)/reviews/(\\d+)/comments")).reply((uri) => {
      const [, pull, review] = /pulls\/(\d+)\/reviews\/(\d+)/.exec(uri)!;
      const comments = this.reviewComments.get(Number(review)) ?? [];
      return [200, comments.map((c) => ({ html_url: reviewCommentUrl(Number(pull), c.id), ...c }))];
    });
    scope.post(path("/pulls/(\\d+)/comments/(\\d+)/replies")).reply(201, (uri, raw) => {
      const [, pull, comment] = /pulls\/(\d+)\/comments\/(\d+)/.exec(uri)!;
      this.sent.replies.push({
        pull: Number(pull),
        comment: Number(comment),
        body: (raw as { body: string }).body,
      });
      return { id: this.#nextComment++ };
    });
    scope.get(path("/issues/(\\d+)/comments")).reply((uri) => {
      const issue = Number(/issues\/(\d+)/.exec(uri)![1]);
      return [
        200,
        this.commentsOn(issue).map((c) => issueComment({ id: c.id, body: c.body, login: c.login })),
      ];
    });
    scope.post(path("/issues/(\\d+)/comments")).reply(201, (uri, raw) => {
      const issue = Number(/issues\/(\d+)/.exec(uri)![1]);
      const body = (raw as { body: string }).body;
      const id = this.addComment(issue, body);
      return issueComment({ id, body });
    });
    scope.patch(path("/issues/comments/(\\d+)")).reply((uri, raw) => {
      const id = Number(/comments\/(\d+)/.exec(uri)![1]);
      const body = (raw as { body: string }).body;
      this.sent.commentUpdates.push({ id, body });
      const comment = this.comments.get(id);
      if (comment === undefined) return [404, { message: "Not Found" }];
      comment.body = body;
      return [200, issueComment({ id, body, login: comment.login })];
    });
    return scope;
  }

  #pullJson(p: {
    number: number;
    head: string;
    base: string;
    title: string;
    body: string;
    draft: boolean;
    state: string;
  }) {
    return {
      number: p.number,
      html_url: `https://github.com/Codertocat/Hello-World/pull/${p.number}`,
      title: p.title,
      body: p.body,
      draft: p.draft,
      state: p.state,
      head: { ref: p.head, sha: this.refs.get(p.head) },
      base: { ref: p.base },
    };
  }

  #blob(content: string): string {
    const sha = hash(`blob ${content}`);
    this.blobs.set(sha, content);
    return sha;
  }

  #tree(entries: Map<string, Entry>): string {
    const sha = hash(`tree ${JSON.stringify([...entries].sort())}`);
    this.trees.set(sha, entries);
    return sha;
  }

  #commit(fields: Omit<Commit, "sha">): string {
    const sha = hash(`commit ${JSON.stringify(fields)} ${this.commits.size}`);
    this.commits.set(sha, { sha, ...fields });
    return sha;
  }

  /** Commits reachable from `head` but not from `base` (first parents), oldest first. */
  #ahead(base: string, head: string): Commit[] {
    const inBase = new Set<string>();
    for (let c = this.commits.get(base); c; c = this.commits.get(c.parents[0] ?? ""))
      inBase.add(c.sha);
    const ahead: Commit[] = [];
    for (
      let c = this.commits.get(head);
      c && !inBase.has(c.sha);
      c = this.commits.get(c.parents[0] ?? "")
    )
      ahead.unshift(c);
    return ahead;
  }

  #diff(base: string, head: string): { filename: string; changes: number }[] {
    const before = this.trees.get(this.commits.get(base)!.tree)!;
    const after = this.trees.get(this.commits.get(head)!.tree)!;
    const paths = new Set([...before.keys(), ...after.keys()]);
    return [...paths].flatMap((p) => {
      const a = before.get(p);
      const b = after.get(p);
      if (a?.sha === b?.sha) return [];
      const changes = changedLineCount(
        a ? this.blobs.get(a.sha) : undefined,
        b ? this.blobs.get(b.sha)! : "",
      );
      return [{ filename: p, changes }];
    });
  }
}

function hash(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}
