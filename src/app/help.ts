// `/symphony help`: the list of commands, as a reply to the person who asked.
import type { CommandInvocation, SymphonyCommand } from "./commands.js";
import type { RepoConfig } from "../config/schema.js";
import { upsertMarkedComment } from "../github/marked-comment.js";

export const helpCommand: SymphonyCommand = {
  name: "help",
  usage: "/symphony help",
  summary: "List the commands Symphony understands.",
  run: (invocation) => replyWithHelp(invocation),
};

/**
 * Posts the command list, keyed by the asking comment, so a redelivered webhook edits the same
 * reply instead of posting a twin. `note` comes first ("`/symphony plna` is not a command I know.").
 */
export async function replyWithHelp(
  { context, config, services, log }: Omit<CommandInvocation, "command">,
  note?: string,
): Promise<void> {
  const body = renderHelp(services.commands.list(), config, note);
  const { created } = await upsertMarkedComment(
    context.octokit,
    context.issue(),
    { kind: "help", key: String(context.payload.comment.id) },
    body,
    await services.botLogin(),
  );
  log.info({ created }, "answered with the command list");
}

export function renderHelp(
  commands: readonly Pick<SymphonyCommand, "usage" | "summary">[],
  config: Pick<RepoConfig, "label">,
  note?: string,
): string {
  const rows = commands.map(({ usage, summary }) => `| \`${usage}\` | ${summary} |`);
  return [
    ...(note === undefined ? [] : [note, ""]),
    "**Symphony commands** (comment on an issue or pull request):",
    "",
    "| command | what it does |",
    "| --- | --- |",
    ...rows,
    "",
    `Add the label \`${config.label}\` to an issue to get a plan. ` +
      "Settings live in `.github/symphony.yml`.",
  ].join("\n");
}
