// Which event the workflow ran on, read from GITHUB_EVENT_NAME and the payload at GITHUB_EVENT_PATH.
import { readFile } from "node:fs/promises";
import { DISPATCH_EVENT_TYPE, type DispatchPayload } from "../app/hand-off.js";
import type { RepoRef } from "../github/client.js";
import { ActionFailure, UnsupportedEventError } from "./errors.js";

/** Events whose payload is the webhook the App would get; the same handlers receive them. */
export const WEBHOOK_EVENTS = [
  "issues",
  "issue_comment",
  "pull_request",
  "pull_request_review",
  "pull_request_review_comment",
] as const;

export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];

export type WorkflowEvent =
  | { kind: "webhook"; name: WebhookEventName; payload: Record<string, unknown>; repo: RepoRef }
  /** `repository_dispatch` sent by the App (`runner: actions`): the original webhook, by reference. */
  | { kind: "dispatch"; dispatch: DispatchPayload; repo: RepoRef }
  /** `schedule` or `workflow_dispatch`: refresh the rolling refactor issue. */
  | { kind: "refresh"; trigger: "schedule" | "command"; repo: RepoRef };

const SUPPORTED = [
  ...WEBHOOK_EVENTS,
  "pull_request_target",
  "schedule",
  "workflow_dispatch",
  "repository_dispatch",
];

export async function readWorkflowEvent(env: NodeJS.ProcessEnv): Promise<WorkflowEvent> {
  const given = env["GITHUB_EVENT_NAME"] ?? "";
  // `pull_request_target` carries the `pull_request` payload but runs the workflow file of the
  // default branch, which a fork cannot rewrite: the event self-hosted runners should take.
  const name = given === "pull_request_target" ? "pull_request" : given;
  if (!SUPPORTED.includes(name)) {
    throw new UnsupportedEventError(
      `Symphony does not run on the "${name || "(unset)"}" event; trigger the workflow with ${SUPPORTED.join(", ")}.`,
    );
  }
  const payload = await readPayload(env["GITHUB_EVENT_PATH"]);
  const repo = repositoryOf(payload, env["GITHUB_REPOSITORY"]);
  if (name === "schedule") return { kind: "refresh", trigger: "schedule", repo };
  if (name === "workflow_dispatch") return { kind: "refresh", trigger: "command", repo };
  if (name === "repository_dispatch") {
    const dispatch = dispatchOf(payload);
    requireAppSender(payload, env["SYMPHONY_APP_LOGIN"]);
    return { kind: "dispatch", dispatch, repo };
  }
  // An App's installation id would make Probot ask for an installation token the Action cannot mint.
  delete payload["installation"];
  return { kind: "webhook", name: name as WebhookEventName, payload, repo };
}

async function readPayload(path: string | undefined): Promise<Record<string, unknown>> {
  if (path === undefined || path === "") {
    throw new ActionFailure(
      "GITHUB_EVENT_PATH is not set: run Symphony as a step of a GitHub Actions workflow.",
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ActionFailure(`Could not read the event payload at ${path}: ${reason}`);
  }
  if (!isObject(parsed))
    throw new ActionFailure(`The event payload at ${path} is not a JSON object.`);
  return parsed;
}

function repositoryOf(payload: Record<string, unknown>, fallback: string | undefined): RepoRef {
  const repository = payload["repository"];
  if (isObject(repository) && typeof repository["full_name"] === "string") {
    return splitFullName(repository["full_name"]);
  }
  if (fallback !== undefined && fallback.includes("/")) return splitFullName(fallback);
  throw new ActionFailure("The event names no repository, and GITHUB_REPOSITORY is not set.");
}

function splitFullName(fullName: string): RepoRef {
  const [owner = "", repo = ""] = fullName.split("/");
  return { owner, repo };
}

/**
 * The dispatch must come from an App (a `[bot]` account of type Bot), not from a workflow's
 * `GITHUB_TOKEN` (`github-actions[bot]`) or a person's token: anyone who can send
 * `repository_dispatch` could otherwise name any sender. `SYMPHONY_APP_LOGIN` (the App's
 * `slug[bot]`), when the workflow sets it, narrows this to that one App.
 */
function requireAppSender(payload: Record<string, unknown>, appLogin: string | undefined): void {
  const sender = payload["sender"];
  const login = isObject(sender) && typeof sender["login"] === "string" ? sender["login"] : "";
  const type = isObject(sender) ? sender["type"] : undefined;
  const isApp =
    type === "Bot" &&
    /\[bot\]$/i.test(login) &&
    login.toLowerCase() !== "github-actions[bot]" &&
    (appLogin === undefined || appLogin === "" || login.toLowerCase() === appLogin.toLowerCase());
  if (!isApp) {
    throw new UnsupportedEventError(
      `Symphony acts only on repository_dispatch events the Symphony App sends; this one came from ${JSON.stringify(login || "nobody")}.`,
    );
  }
}

function dispatchOf(payload: Record<string, unknown>): DispatchPayload {
  const type = payload["action"];
  const client = payload["client_payload"];
  if (type !== DISPATCH_EVENT_TYPE) {
    throw new UnsupportedEventError(
      `Symphony serves repository_dispatch events of type "${DISPATCH_EVENT_TYPE}" only (this one is "${String(type)}"); add \`types: [${DISPATCH_EVENT_TYPE}]\` to the workflow's trigger.`,
    );
  }
  if (
    !isObject(client) ||
    typeof client["event"] !== "string" ||
    typeof client["number"] !== "number" ||
    typeof client["sender"] !== "string"
  ) {
    throw new ActionFailure(
      "The repository_dispatch payload lacks the event, number and sender the Symphony App sends; was it sent by something else?",
    );
  }
  return client as unknown as DispatchPayload;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
