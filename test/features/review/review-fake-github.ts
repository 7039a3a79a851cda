// A pull request on a nock-served GitHub that remembers what Symphony wrote, so a test can push,
// redeliver and resolve threads across several webhooks. Shapes as the REST and GraphQL APIs answer.
import type nock from "nock";
import type { IssueComment } from "../../../src/github/client.js";
import type { PullFile } from "../../../src/github/pull-request-patch.js";
import type { ReviewComment } from "../../../src/features/review/review-request.js";
import { EXAMPLE_REPO, githubApi, issueComment } from "../../support/github.js";
import { TEST_BOT_LOGIN, TEST_INSTALLATION_ID } from "../../support/probot.js";

const REPO = `/repos/${EXAMPLE_REPO.owner}/${EXAMPLE_REPO.repo}`;

export interface PostedReview {
  commit_id: string;
  event: string;
  body: string;
  comments: ReviewComment[];
}

export interface ReviewCommentRecord {
  id: number;
  in_reply_to_id?: number;
  user: { login: string; type: "User" | "Bot" };
  body: string;
  path: string;
  line: number | null;
  diff_hunk: string;
  created_at: string;
}

export interface Comparison {
  status: "ahead" | "behind" | "diverged" | "identical";
  files: PullFile[];
}

export interface FakePullOptions {
  number?: number;
  head?: string;
  files?: PullFile[];
  config?: string;
  /** The commenter's role for commands and thread replies. */
  role?: "read" | "write" | "admin";
}

let nextId = 1000;

interface GraphqlBody {
  query: string;
  variables: Record<string, unknown>;
}

/** One pull request of Codertocat/Hello-World and everything Symphony did to it. */
export class FakePull {
  readonly number: number;
  head: string;
  title = "Read the port from the environment";
  body = "Fixes #3";
  files: PullFile[];
  config: string | undefined;
  role: "read" | "write" | "admin";
  /** Issue comments on the pull request, Symphony's summary among them. */
  comments: IssueComment[] = [];
  /** Every body Symphony wrote into an issue comment, created or edited, in order. */
  commentWrites: { id: number; body: string }[] = [];
  /** `pulls.createReview` requests, refused ones included. */
  reviewRequests: PostedReview[] = [];
  /** Reviews GitHub accepted. */
  reviews: PostedReview[] = [];
  reviewComments: ReviewCommentRecord[] = [];
  resolved = new Set<number>();
  /** Threads (by root comment id) whose lines a later push changed. */
  outdated = new Set<number>();
  /** Who resolved each resolved thread; Codertocat unless set. */
  resolvers = new Map<number, string>();
  /** Symphony's learnings issue, once it opened one (issues listed by its label). */
  issues: {
    number: number;
    title: string;
    body: string;
    labels: string[];
    user: { login: string; type: string };
  }[] = [];
  /** Bodies written into issues, created or edited, in order. */
  issueWrites: { number: number; body: string }[] = [];
  /** GraphQL queries asked, by what they read. */
  graphqlReads: ("threads" | "pull threads" | "files")[] = [];
  /** Roles of particular users; everyone else has `role`. */
  roles = new Map<string, string>();
  threadReplies: { comment_id: number; body: string }[] = [];
  comparisons = new Map<string, Comparison>();
  /** Accepted reviews as `pulls.listReviews` lists them, with the ids of their comments. */
  private submitted: { id: number; commit_id: string; body: string; commentIds: number[] }[] = [];
  /** Reviews by people, listed before Symphony's. */
  foreignReviews: {
    id: number;
    commit_id: string;
    body: string;
    user: { login: string; type: "User" | "Bot" };
  }[] = [];
  /** Answers for the next edits of an issue comment, first first; empty: 200. */
  commentEditAnswers: [number, unknown][] = [];
  /** Answers for the next `pulls.createReview` calls, first first; empty: 200. */
  reviewAnswers: ((review: PostedReview) => [number, unknown])[] = [];
  /** Pages of `pulls.listFiles` served. */
  filePages = 0;
  compareCalls: string[] = [];
  /** File text at the head, for the Contents API; a path not here answers 404. */
  headFiles = new Map<string, string>();
  /** `path@ref` of every Contents API read of a head file. */
  contentReads: string[] = [];

  constructor(options: FakePullOptions = {}) {
    this.number = options.number ?? 2;
    this.head = options.head ?? "1111111111111111111111111111111111111111";
    this.files = options.files ?? [];
    this.config = options.config;
    this.role = options.role ?? "write";
  }

  /** The summary comment's latest body, or undefined before the first one. */
  get summary(): string | undefined {
    return this.comments.find((comment) => comment.body?.includes(`symphony:review:${this.number}`))
      ?.body;
  }

  /** A push: new head, new file list, and what the compare API says since `from`. */
  push(head: string, files: PullFile[], since?: { from: string; comparison: Comparison }): void {
    if (since) this.comparisons.set(`${since.from}...${head}`, since.comparison);
    this.head = head;
    this.files = files;
  }

  /** A person's reply in a thread of the review comments. */
  reply(rootId: number, body: string, login = "Codertocat"): ReviewCommentRecord {
    const root = this.reviewComments.find((comment) => comment.id === rootId);
    const record: ReviewCommentRecord = {
      id: nextId++,
      in_reply_to_id: rootId,
      user: { login, type: "User" },
      body,
      path: root?.path ?? "",
      line: root?.line ?? null,
      diff_hunk: root?.diff_hunk ?? "",
      created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, nextId)).toISOString(),
    };
    this.reviewComments.push(record);
    return record;
  }

  pullData(): Record<string, unknown> {
    return {
      number: this.number,
      state: "open",
      title: this.title,
      body: this.body,
      draft: false,
      changed_files: this.files.length,
      head: { sha: this.head, ref: "changes" },
      base: { sha: "0000000000000000000000000000000000000000", ref: "main" },
      user: { login: "Codertocat", type: "User" },
      labels: [],
    };
  }

  /** Serves every call Symphony makes for this pull request until nock is cleaned. */
  serve(): nock.Scope {
    const scope = githubApi().persist();
    const pull = `${REPO}/pulls/${this.number}`;
    scope
      .post(`/app/installations/${TEST_INSTALLATION_ID}/access_tokens`)
      .reply(201, { token: "ghs_test", expires_at: "2999-01-01T00:00:00Z" });
    this.serveConfig(scope);
    scope.get(new RegExp(`^${REPO}/collaborators/[^/]+/permission$`)).reply(200, (uri) => {
      const user = decodeURIComponent(/collaborators\/([^/]+)\/permission/.exec(uri)![1]!);
      const role = this.roles.get(user) ?? this.role;
      return { permission: role, role_name: role, user: { login: user } };
    });
    this.serveIssueComments(scope);
    this.serveIssues(scope);
    scope.get(pull).reply(200, () => this.pullData());
    scope
      .get(`${pull}/files`)
      .query(true)
      .reply((uri) => this.filesPage(uri));
    scope
      .get(new RegExp(`^${REPO}/compare/`))
      .query(true)
      .reply((uri) => this.compare(uri));
    this.serveReviews(scope, pull);
    scope
      .get(new RegExp(`^${REPO}/contents/(?!\\.github)`))
      .query(true)
      .reply((uri) => this.content(uri));
    return scope;
  }

  /** GraphQL as GitHub answers each query Symphony sends: this pull request's threads, files at its head. */
  private graphql(body: GraphqlBody): { data: unknown } {
    const threads = this.reviewComments
      .filter((comment) => comment.in_reply_to_id === undefined)
      .map((root) => ({
        root,
        isResolved: this.resolved.has(root.id),
        resolvedBy: this.resolved.has(root.id)
          ? { login: this.resolvers.get(root.id) ?? "Codertocat" }
          : null,
      }));
    if (body.query.includes("pullRequests(")) {
      this.graphqlReads.push("threads");
      const author = (user: ReviewCommentRecord["user"]) => ({
        __typename: user.type,
        // GraphQL names a bot by its slug, without REST's "[bot]".
        login: user.login.replace(/\[bot\]$/, ""),
      });
      return {
        data: {
          repository: {
            pullRequests: {
              nodes: [
                {
                  number: this.number,
                  headRefOid: this.head,
                  reviewThreads: {
                    nodes: threads.map(({ root, isResolved, resolvedBy }) => ({
                      isResolved,
                      isOutdated: this.outdated.has(root.id),
                      path: root.path,
                      resolvedBy,
                      comments: {
                        nodes: [
                          root,
                          ...this.reviewComments.filter((c) => c.in_reply_to_id === root.id),
                        ]
                          .slice(0, 8)
                          .map((comment) => ({
                            databaseId: comment.id,
                            body: comment.body,
                            author: author(comment.user),
                          })),
                      },
                    })),
                  },
                },
              ],
            },
          },
        },
      };
    }
    if (body.query.includes("object(expression")) {
      this.graphqlReads.push("files");
      const files = Object.entries(body.variables)
        .filter(([name]) => /^e\d+$/.test(name))
        .map(([name, expression]) => {
          const [sha, ...path] = String(expression).split(":");
          const text = sha === this.head ? this.headFiles.get(path.join(":")) : undefined;
          return [`f${name.slice(1)}`, text === undefined ? null : { text }];
        });
      return { data: { repository: Object.fromEntries(files) } };
    }
    this.graphqlReads.push("pull threads");
    return {
      data: {
        repository: {
          pullRequest: {
            reviewThreads: {
              pageInfo: { hasNextPage: false, endCursor: null },
              nodes: threads.map(({ root, isResolved, resolvedBy }) => ({
                isResolved,
                resolvedBy,
                comments: { nodes: [{ databaseId: root.id }] },
              })),
            },
          },
        },
      },
    };
  }

  /** Issues by label (Symphony's learnings issue), created and edited. */
  private serveIssues(scope: nock.Scope): void {
    scope
      .get(`${REPO}/issues`)
      .query(true)
      .reply((uri) => {
        const label = new URL(uri, "https://api.github.com").searchParams.get("labels");
        return [200, this.issues.filter((issue) => label === null || issue.labels.includes(label))];
      });
    scope.post(`${REPO}/issues`).reply((_uri, body) => {
      const asked = body as { title: string; body: string; labels?: string[] };
      const issue = {
        number: 900 + this.issues.length,
        title: asked.title,
        body: asked.body,
        labels: asked.labels ?? [],
        user: { login: TEST_BOT_LOGIN, type: "Bot" },
      };
      this.issues.push(issue);
      this.issueWrites.push({ number: issue.number, body: issue.body });
      return [201, { ...issue, labels: issue.labels.map((name) => ({ name })) }];
    });
    scope.patch(new RegExp(`^${REPO}/issues/\\d+$`)).reply((uri, body) => {
      const number = Number(/(\d+)$/.exec(uri)?.[1]);
      const issue = this.issues.find((candidate) => candidate.number === number);
      if (!issue) return [404, { message: "Not Found" }];
      issue.body = (body as { body: string }).body;
      this.issueWrites.push({ number, body: issue.body });
      return [200, { ...issue, labels: issue.labels.map((name) => ({ name })) }];
    });
  }

  private serveConfig(scope: nock.Scope): void {
    const path = (name: string) =>
      `/repos/${EXAMPLE_REPO.owner}/${name}/contents/.github%2Fsymphony.yml`;
    scope
      .get(path(EXAMPLE_REPO.repo))
      .reply(() =>
        this.config === undefined ? [404, { message: "Not Found" }] : [200, this.config],
      );
    scope.get(path(".github")).reply(404, { message: "Not Found" });
  }

  private serveIssueComments(scope: nock.Scope): void {
    scope
      .get(`${REPO}/issues/${this.number}/comments`)
      .query(true)
      .reply(200, () => this.comments);
    scope.post(`${REPO}/issues/${this.number}/comments`).reply((_uri, body) => {
      const text = (body as { body: string }).body;
      const comment = issueComment({ id: nextId++, body: text });
      this.comments.push(comment);
      this.commentWrites.push({ id: comment.id, body: text });
      return [201, comment];
    });
    scope.patch(/\/issues\/comments\/\d+$/).reply((uri, body) => {
      const id = Number(/(\d+)$/.exec(uri)?.[1]);
      const text = (body as { body: string }).body;
      const comment = this.comments.find((candidate) => candidate.id === id);
      if (!comment) return [404, { message: "Not Found" }];
      const answer = this.commentEditAnswers.shift();
      if (answer) return answer;
      comment.body = text;
      this.commentWrites.push({ id, body: text });
      return [200, comment];
    });
  }

  private filesPage(uri: string): [number, unknown, Record<string, string>] {
    const url = new URL(uri, "https://api.github.com");
    const perPage = Number(url.searchParams.get("per_page") ?? 30);
    const page = Number(url.searchParams.get("page") ?? 1);
    this.filePages += 1;
    const slice = this.files.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < Math.min(this.files.length, 3000)) {
      url.searchParams.set("page", String(page + 1));
      headers.link = `<${url.toString()}>; rel="next"`;
    }
    return [200, slice, headers];
  }

  private content(uri: string): [number, unknown] {
    const url = new URL(uri, "https://api.github.com");
    const path = decodeURIComponent(url.pathname.slice(`${REPO}/contents/`.length));
    this.contentReads.push(`${path}@${url.searchParams.get("ref")}`);
    const text = this.headFiles.get(path);
    if (text === undefined) return [404, { message: "Not Found" }];
    const content = Buffer.from(text).toString("base64");
    return [
      200,
      { type: "file", encoding: "base64", size: text.length, name: path, path, content },
    ];
  }

  private compare(uri: string): [number, unknown] {
    const basehead = decodeURIComponent(/\/compare\/([^?]+)/.exec(uri)?.[1] ?? "");
    this.compareCalls.push(basehead);
    const found = this.comparisons.get(basehead);
    if (!found) return [404, { message: "Not Found" }];
    return [
      200,
      { status: found.status, ahead_by: 1, behind_by: 0, commits: [], files: found.files },
    ];
  }

  private serveReviews(scope: nock.Scope, pull: string): void {
    scope.post(`${pull}/reviews`).reply((_uri, body) => {
      const review = body as PostedReview;
      this.reviewRequests.push(review);
      const answer = this.reviewAnswers.shift()?.(review);
      if (answer && answer[0] >= 400) return answer;
      this.reviews.push(review);
      const submitted = { id: nextId++, commit_id: review.commit_id, body: review.body };
      const commentIds: number[] = [];
      for (const comment of review.comments) {
        commentIds.push(nextId);
        this.reviewComments.push({
          id: nextId++,
          user: { login: TEST_BOT_LOGIN, type: "Bot" },
          body: comment.body,
          path: comment.path,
          line: comment.line ?? null,
          diff_hunk: "@@ -8,4 +8,5 @@",
          created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, nextId)).toISOString(),
        });
      }
      this.submitted.push({ ...submitted, commentIds });
      return [200, { ...submitted, state: "COMMENTED" }];
    });
    scope
      .get(`${pull}/reviews`)
      .query(true)
      .reply(200, () =>
        [
          ...this.foreignReviews,
          ...this.submitted.map(({ commentIds: _ids, ...review }) => ({
            ...review,
            user: { login: TEST_BOT_LOGIN, type: "Bot" as const },
          })),
        ].map((review) => ({
          ...review,
          state: "COMMENTED",
          submitted_at: "2026-01-01T00:00:00Z",
        })),
      );
    scope
      .get(new RegExp(`^${pull}/reviews/\\d+/comments`))
      .query(true)
      .reply((uri) => {
        const id = Number(/reviews\/(\d+)\/comments/.exec(uri)?.[1]);
        const review = this.submitted.find((candidate) => candidate.id === id);
        if (!review) return [404, { message: "Not Found" }];
        const ids = new Set(review.commentIds);
        return [
          200,
          this.reviewComments
            .filter((comment) => ids.has(comment.id))
            .map((comment) => ({ ...comment, pull_request_review_id: id })),
        ];
      });
    scope
      .get(`${pull}/comments`)
      .query(true)
      .reply(200, () => this.reviewComments);
    scope.get(/\/pulls\/comments\/\d+$/).reply((uri) => {
      const id = Number(/(\d+)$/.exec(uri)?.[1]);
      const found = this.reviewComments.find((comment) => comment.id === id);
      return found ? [200, found] : [404, { message: "Not Found" }];
    });
    scope.post(/\/pulls\/\d+\/comments\/\d+\/replies$/).reply((uri, body) => {
      const id = Number(/comments\/(\d+)\/replies$/.exec(uri)?.[1]);
      const text = (body as { body: string }).body;
      this.threadReplies.push({ comment_id: id, body: text });
      const record = this.reply(id, text, TEST_BOT_LOGIN);
      record.user.type = "Bot";
      return [201, record];
    });
    scope.post("/graphql").reply(200, (_uri, body) => this.graphql(body as GraphqlBody));
  }
}
