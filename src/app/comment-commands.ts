// `issue_comment.created` → the `/symphony <command>` router: who asked, with which settings.
import type { Context, Probot } from "probot";
import type { AppServices } from "./services.js";
import { InvalidConfigError } from "../config/errors.js";
import { loadRepoConfigOrProblem } from "../config/load.js";
import type { RepoConfig } from "../config/schema.js";
import { parseCommand } from "../github/command.js";
import { upsertMarkedComment } from "../github/marked-comment.js";
import { lookUpSenderAccess, meetsPermission, type Access } from "../github/permission.js";
import { reportInvalidConfig } from "./config-error.js";
import { replyWithHelp } from "./help.js";

type CommentContext = Context<"issue_comment.created">;

export function registerCommentCommands(app: Probot, services: AppServices): void {
  app.on("issue_comment.created", (context) => routeComment(context, services));
}

export async function routeComment(context: CommentContext, services: AppServices): Promise<void> {
  const { comment, issue } = context.payload;
  // Bots never trigger anything, Symphony's own comments included: no loops, no bot wars.
  if (context.isBot || comment.user?.type === "Bot") return;
  const parsed = parseCommand(comment.body);
  if (parsed === undefined) return;
  const log = context.log.child({
    name: "symphony:commands",
    command: parsed.kind === "command" ? parsed.name : parsed.word,
    issue: issue.number,
  });

  const senderAccess = lookUpSenderAccess(context);
  const config = await readConfig(context, services, senderAccess);
  if (config === undefined) return;
  if (!meetsPermission(await senderAccess(), config.permission)) {
    log.info(
      { sender: context.payload.sender.login, required: config.permission },
      "ignored: sender lacks permission",
    );
    return;
  }
  const command = parsed.kind === "command" ? services.commands.get(parsed.name) : undefined;
  try {
    if (parsed.kind === "command" && command !== undefined) {
      await command.run({ context, command: parsed, config, services, log });
    } else {
      const note =
        parsed.kind === "command"
          ? `\`/symphony ${parsed.name}\` is not available in this installation.`
          : `\`/symphony ${parsed.word}\` is not a command I know.`;
      await replyWithHelp({ context, config, services, log }, note);
    }
  } catch (error) {
    log.error({ err: error }, "the command failed");
    await reportFailure(context, services, error).catch((failure: unknown) => {
      log.error({ err: failure }, "could not report the failure either");
    });
  }
}

/** The settings, or undefined after the one reply a broken file gets (to writers only). */
async function readConfig(
  context: CommentContext,
  services: AppServices,
  senderAccess: () => Promise<Access>,
): Promise<RepoConfig | undefined> {
  const config = await loadRepoConfigOrProblem(context);
  if (!(config instanceof InvalidConfigError)) return config;
  // The file names who may run commands, but it is broken: fall back to the default role.
  if (meetsPermission(await senderAccess(), "write")) {
    await reportInvalidConfig(context, config, await services.botLogin());
  }
  return undefined;
}

async function reportFailure(
  context: CommentContext,
  services: AppServices,
  error: unknown,
): Promise<void> {
  const reason = error instanceof Error ? error.message : "an unexpected error";
  await upsertMarkedComment(
    context.octokit,
    context.issue(),
    { kind: "error", key: String(context.payload.comment.id) },
    `Symphony could not do that: ${reason}`,
    await services.botLogin(),
  );
}
