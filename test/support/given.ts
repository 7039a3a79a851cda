// Shared "given" set-ups of handler tests, written once instead of in every file: the app, GitHub
// as a delivery first meets it (the installation token, the settings file, the sender's role),
// Symphony's new comment, and a comment on a pull request.
import type nock from "nock";
import type { Probot } from "probot";
import { createSymphonyApp, type SymphonyDeps } from "../../src/create-app.js";
import { WorkQueue } from "../../src/app/queue.js";
import type { AppRuntime } from "../../src/app/services.js";
import type { ModelRuntime } from "../../src/runner/types.js";
import {
  EXAMPLE_REPO,
  githubApi,
  issueComment,
  mockIssueComments,
  mockPermission,
  mockRepoConfig,
} from "./github.js";
import {
  createFakeRuntime,
  createTestProbot,
  mockInstallationToken,
  TEST_BOT_LOGIN,
  webhookPayload,
  type WebhookPayload,
} from "./probot.js";

export interface GivenApp {
  probot: Probot;
  queue: WorkQueue;
}

export type GivenAppOptions = Partial<Omit<SymphonyDeps, "runtime">> & {
  /** Where model calls go; without them every model call fails loudly. */
  models?: ModelRuntime;
  /** The models the operator allows a repository to choose (SYMPHONY_ALLOWED_MODELS). */
  allowedModels?: readonly string[];
  /** Which model each agent's calls go to first, and who named it (the runtime's routing). */
  modelFor?: AppRuntime["modelFor"];
};

/**
 * The app with every feature (or the `deps` given), its bot login known, and a queue the test
 * can wait on (failures swallowed unless the test brings its own: the status comment says them).
 */
export async function givenApp(options: GivenAppOptions = {}): Promise<GivenApp> {
  const { models, allowedModels, modelFor, ...deps } = options;
  const queue = deps.queue ?? new WorkQueue({ onError: () => undefined });
  const runtime = createFakeRuntime(models === undefined ? {} : { models });
  const probot = await createTestProbot({
    app: createSymphonyApp({
      runtime: {
        ...runtime,
        ...(allowedModels ? { allowedModels: () => allowedModels } : {}),
        ...(modelFor ? { modelFor } : {}),
      },
      botLogin: TEST_BOT_LOGIN,
      ...deps,
      queue,
    }),
  });
  return { probot, queue };
}

export interface GivenRepository {
  /** `.github/symphony.yml`; undefined: no file in the repository nor in its owner's `.github`. */
  config?: string | undefined;
  /** The sender's role, asked before any work; leave it out where the handler never asks. */
  role?: Parameters<typeof mockPermission>[2];
  /** Default Codertocat, the sender of @octokit/webhooks-examples payloads. */
  sender?: string;
  /** Answer every request again, for tests whose deliveries each meet GitHub anew. */
  persist?: boolean;
}

/** GitHub as a delivery first meets it: the installation token, the settings and the role. */
export function givenRepository(given: GivenRepository = {}): nock.Scope {
  const scope = mockInstallationToken(given.persist ? githubApi().persist() : githubApi());
  mockRepoConfig(scope, given.config);
  if (given.role !== undefined) mockPermission(scope, given.sender ?? "Codertocat", given.role);
  return scope;
}

/**
 * Symphony's comment on an issue that has none of its comments yet: the list it searches, and
 * the POST, answered as comment `id`. The bodies it posts land in the returned list.
 */
export function givenNewComment(
  scope: nock.Scope,
  options: { issue?: number; id?: number } = {},
): { body: string }[] {
  const issue = options.issue ?? 1;
  const posted: { body: string }[] = [];
  mockIssueComments(scope, issue, []);
  scope
    .post(`/repos/${EXAMPLE_REPO.owner}/${EXAMPLE_REPO.repo}/issues/${issue}/comments`, (body) => {
      posted.push(body as { body: string });
      return true;
    })
    .reply(201, issueComment({ id: options.id ?? 10, body: "" }));
  return posted;
}

/** A comment (`issue_comment.created`) on pull request `number`, or on a plain issue. */
export function pullRequestComment(
  body: string,
  options: { number: number; commentId: number; onPullRequest?: boolean },
): WebhookPayload<"issue_comment.created"> {
  return webhookPayload("issue_comment.created", (event) => {
    event.issue.number = options.number;
    if (options.onPullRequest ?? true) {
      event.issue.pull_request = {
        url: `https://api.github.com/repos/${EXAMPLE_REPO.owner}/${EXAMPLE_REPO.repo}/pulls/${options.number}`,
        html_url: "",
        diff_url: "",
        patch_url: "",
      };
    } else {
      delete event.issue.pull_request;
    }
    event.comment.id = options.commentId;
    event.comment.body = body;
  });
}
