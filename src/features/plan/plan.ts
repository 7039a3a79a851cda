// Planning on GitHub: the `symphony` label and `/symphony plan`, `/symphony deeper`,
// `/symphony backlog` turn an issue into a plan comment the Conductor's agents write.
import type { Context } from "probot";
import type { CommandInvocation, SymphonyCommand } from "../../app/commands.js";
import type { AppServices, RegisterListeners } from "../../app/services.js";
import { defaultRepoConfig } from "../../config/schema.js";
import { backlogCommand } from "./backlog.js";
import { admitLabel, carriesLabel } from "../../app/label-trigger.js";
import { triggerPlan, type PlanRequest } from "./plan-trigger.js";

type LabeledContext = Context<"issues.labeled">;

export const registerPlanListeners: RegisterListeners = (app, services) => {
  app.on("issues.labeled", (context) => onLabeled(context, services));
};

const planCommand: SymphonyCommand = {
  name: "plan",
  usage: "/symphony plan [what to change]",
  summary:
    "Plan this issue (EPIC, design, diagram, tasks); with text, re-plan applying your changes.",
  run: (invocation) => {
    const change = [invocation.command.args, invocation.command.details]
      .filter((part) => part.trim() !== "")
      .join("\n")
      .trim();
    return fromComment(invocation, change ? { kind: "refine", change } : { kind: "plan" });
  },
};

const deeperCommand: SymphonyCommand = {
  name: "deeper",
  usage: "/symphony deeper",
  summary: "Expand each feature of the plan into subtasks with hours and technical requirements.",
  run: (invocation) => fromComment(invocation, { kind: "deeper" }),
};

export const planCommands: readonly SymphonyCommand[] = [
  planCommand,
  deeperCommand,
  backlogCommand,
];

async function fromComment(invocation: CommandInvocation, request: PlanRequest): Promise<void> {
  const { context, config, services, log } = invocation;
  const { issue } = context.payload;
  if (issue.pull_request !== undefined) {
    log.info("ignored: plans are made for issues, not pull requests");
    return;
  }
  if (carriesLabel(issue.labels, config.skip_label)) {
    log.info({ skip_label: config.skip_label }, "ignored: the issue carries the skip label");
    return;
  }
  await triggerPlan({
    client: context.octokit,
    repo: context.repo(),
    issueNumber: issue.number,
    config,
    services,
    event: {
      name: "issue_comment.created",
      deliveryId: context.id,
      sender: context.payload.sender.login,
      commentId: context.payload.comment.id,
    },
    request,
    log,
  });
}

async function onLabeled(context: LabeledContext, services: AppServices): Promise<void> {
  const admitted = await admitLabel(context, services, {
    feature: "symphony:plan",
    label: (config) => config.label,
    reportsInvalidConfigFor: defaultRepoConfig().label,
  });
  if (admitted === undefined) return;
  const { config, log } = admitted;
  const { issue, sender } = context.payload;
  await triggerPlan({
    client: context.octokit,
    repo: context.repo(),
    issueNumber: issue.number,
    config,
    services,
    event: { name: "issues.labeled", deliveryId: context.id, sender: sender.login },
    request: { kind: "plan" },
    log,
  });
}
