// `/symphony implement` and the implement label: the issue's plan becomes commits on
// `symphony/issue-<n>` and a draft pull request; review comments there get follow-up commits.
import type { Context, Probot } from "probot";
import type { SymphonyCommand } from "../../app/commands.js";
import type { AppServices, RegisterListeners } from "../../app/services.js";
import { registerFollowUpListeners } from "./follow-up-trigger.js";
import { triggerImplement } from "./implement-run.js";
import { admitLabel } from "../../app/label-trigger.js";
import { implementRefactorSuggestion } from "../refactor/refactor-implement.js";

export const implementCommand: SymphonyCommand = {
  name: "implement",
  usage: "/symphony implement",
  summary:
    "Implement the issue's plan as commits on a branch and a draft pull request (plans first when there is no plan).",
  async run(invocation) {
    // In the rolling refactor issue, the command implements one suggestion instead.
    if (await implementRefactorSuggestion(invocation)) return;
    const { context, config, services, log } = invocation;
    const { issue, comment, sender } = context.payload;
    if (issue.pull_request !== undefined) {
      log.info("ignored: /symphony implement on a pull request");
      return;
    }
    await triggerImplement({
      client: context.octokit,
      repo: context.repo(),
      issueNumber: issue.number,
      config,
      services,
      event: {
        name: "issue_comment.created",
        deliveryId: context.id,
        sender: sender.login,
        commentId: comment.id,
      },
      log,
    });
  },
};

export const implementCommands: readonly SymphonyCommand[] = [implementCommand];

export const registerImplementListeners: RegisterListeners = (app: Probot, services) => {
  app.on("issues.labeled", (context) => onLabeled(context, services));
  registerFollowUpListeners(app, services);
};

async function onLabeled(context: Context<"issues.labeled">, services: AppServices): Promise<void> {
  const admitted = await admitLabel(context, services, {
    feature: "symphony:implement",
    label: (config) => config.implement_label,
  });
  if (admitted === undefined) return;
  const { config, log } = admitted;
  const { issue, sender } = context.payload;
  await triggerImplement({
    client: context.octokit,
    repo: context.repo(),
    issueNumber: issue.number,
    config,
    services,
    event: { name: "issues.labeled", deliveryId: context.id, sender: sender.login },
    log,
  });
}
