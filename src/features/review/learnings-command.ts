// `/symphony learnings` lists the repository's notes from dismissed findings;
// `/symphony learnings forget <n>` removes one, so later reviews no longer see it.
import type { CommandInvocation, SymphonyCommand } from "../../app/commands.js";
import { upsertMarkedComment } from "../../github/marked-comment.js";
import {
  forgetNote,
  MAX_NOTES,
  MAX_NOTES_TOKENS,
  noteText,
  renderNoteList,
  type LearningsState,
} from "./learnings.js";
import { saveLearnings } from "./learnings-store.js";
import { reviewFeedback } from "./review-feedback.js";
import { inlineProse } from "../../comments/sanitise.js";

export const learningsCommand: SymphonyCommand = {
  name: "learnings",
  usage: "/symphony learnings [forget <n>]",
  summary:
    "List the notes reviews here learned from dismissed findings; `forget <n>` removes note n.",
  run: (invocation) => answerLearnings(invocation),
};

type Request = { kind: "list" } | { kind: "forget"; number: number } | { kind: "unclear" };

function requestOf(args: string): Request {
  const words = args.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { kind: "list" };
  const [verb, number, ...rest] = words;
  if (verb?.toLowerCase() === "forget" && number !== undefined && rest.length === 0) {
    const n = Number(number.replace(/^#/, ""));
    if (Number.isInteger(n) && n > 0) return { kind: "forget", number: n };
  }
  return { kind: "unclear" };
}

async function answerLearnings({ context, command, config, services, log }: CommandInvocation) {
  const botLogin = await services.botLogin();
  const client = context.octokit;
  const repo = context.repo();
  const feedback = reviewFeedback({ client, repo, botLogin, permission: config.permission, log });
  const request = requestOf(command.args);
  let body: string;
  if (request.kind === "unclear") {
    body =
      "`/symphony learnings` lists the repository's notes; `/symphony learnings forget <n>` removes note n.";
  } else {
    const store = await feedback.learnings();
    if (request.kind === "list") {
      body = renderList(store.state, store.issue);
    } else {
      const next = forgetNote(store.state, request.number);
      if (next === undefined) {
        body = `There is no note ${request.number}.\n\n${renderList(store.state, store.issue)}`;
      } else {
        const saved = await saveLearnings(client, repo, store, next);
        const gone = store.state.notes[request.number - 1]!;
        log.info({ note: request.number, finding: gone.finding }, "repository note forgotten");
        body = `Forgot note ${request.number} (${inlineProse(noteText(gone))}): later reviews no longer see it.\n\n${renderList(saved.state, saved.issue)}`;
      }
    }
  }
  const { created } = await upsertMarkedComment(
    client,
    context.issue(),
    { kind: "learnings-reply", key: String(context.payload.comment.id) },
    body,
    botLogin,
  );
  log.info({ created, request: request.kind }, "answered about the repository's notes");
}

function renderList(state: LearningsState, issue: number | undefined): string {
  if (state.notes.length === 0) {
    return "**No repository notes yet.** A note is made when someone with the configured role answers one of Symphony's review findings with \"won't fix: <the reason>\".";
  }
  return [
    `**Repository notes for reviews** (${state.notes.length} of at most ${MAX_NOTES}; each review is shown the newest that fit about ${MAX_NOTES_TOKENS} tokens):`,
    "",
    ...renderNoteList(state),
    "",
    `Remove one with \`/symphony learnings forget <n>\`.${issue === undefined ? "" : ` They are kept in #${issue}.`}`,
  ].join("\n");
}
