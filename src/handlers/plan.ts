// Planning on GitHub: the `symphony` label and `/symphony plan`, `/symphony deeper`,
// `/symphony backlog` turn an issue into a plan comment the Conductor's agents write.
import type { Context } from "probot";
import type { CommandInvocation, SymphonyCommand } from "../app/commands.js";
import type { AppServices, RegisterListeners } from "../app/services.js";
import { InvalidConfigError } from "../config/errors.js";
import { loadRepoConfig } from "../config/load.js";
import { defaultRepoConfig, type RepoConfig } from "../config/schema.js";
import { hasPermission } from "../github/permission.js";
import { backlogCommand } from "./backlog.js";
import { reportInvalidConfig } from "./config-error.js";
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
  const { issue, label, sender } = context.payload;
  // Bots never trigger anything: a bot adding the label would otherwise start paid model work.
  if (context.isBot || sender.type === "Bot" || label === undefined) return;
  // A redelivered webhook whose run was queued already: not even the config is read again.
  if (services.queue.hasSeen(context.id)) return;
  const log = context.log.child({ name: "symphony:plan", issue: issue.number });
  const config = await readConfig(context, services, label.name);
  if (config === undefined || label.name !== config.label) return;
  if (carriesLabel(issue.labels, config.skip_label)) {
    log.info({ skip_label: config.skip_label }, "ignored: the issue carries the skip label");
    return;
  }
  if (!(await hasPermission(context, config.permission))) {
    log.info(
      { sender: sender.login, required: config.permission },
      "ignored: sender lacks permission",
    );
    return;
  }
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

/**
 * The settings, or undefined when the file is invalid. The broken file cannot say which label
 * asks for a plan, so only the default label (added by a writer) gets the one reply about it.
 */
async function readConfig(
  context: LabeledContext,
  services: AppServices,
  labelName: string,
): Promise<RepoConfig | undefined> {
  try {
    return await loadRepoConfig(context);
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    if (labelName === defaultRepoConfig().label && (await hasPermission(context, "write"))) {
      await reportInvalidConfig(context, error, await services.botLogin());
    }
    return undefined;
  }
}

function carriesLabel(
  labels: readonly ({ name: string } | string)[] | undefined,
  name: string,
): boolean {
  return (labels ?? []).some((label) => (typeof label === "string" ? label : label.name) === name);
}
