// Pull request review: the events and commands that start one, and replies in its review threads.
import type { SymphonyCommand } from "../../app/commands.js";
import type { RegisterListeners } from "../../app/services.js";
import { askCommand } from "../ask/ask.js";
import { onPullRequest, onReviewCommand, REVIEW_ACTIONS } from "./review-trigger.js";
import { learningsCommand } from "./learnings-command.js";
import { onReviewComment } from "./thread-reply.js";

export const reviewCommand: SymphonyCommand = {
  name: "review",
  usage: "/symphony review",
  summary: "Review this pull request again, the whole diff.",
  run: onReviewCommand,
};

export const reviewCommands: readonly SymphonyCommand[] = [
  reviewCommand,
  askCommand,
  learningsCommand,
];

export const registerReviewListeners: RegisterListeners = (app, services) => {
  app.on([...REVIEW_ACTIONS], (context) => onPullRequest(context, services));
  app.on("pull_request_review_comment.created", (context) => onReviewComment(context, services));
};
