// Every command and webhook listener the app registers. Features add their line here.
import type { SymphonyCommand } from "../app/commands.js";
import type { RegisterListeners } from "../app/services.js";
import { registerCommentCommands } from "../app/comment-commands.js";
import { helpCommand } from "../app/help.js";
import { implementCommands, registerImplementListeners } from "./implement/implement.js";
import { planCommands, registerPlanListeners } from "./plan/plan.js";
import { refactorCommands, registerRefactorListeners } from "./refactor/refactor.js";
import { registerReviewListeners, reviewCommands } from "./review/review.js";
import { statsCommand } from "./plan/stats.js";

/** `/symphony <name>` commands; `/symphony help` lists them in COMMAND_NAMES order. */
export const commands: readonly SymphonyCommand[] = [
  ...planCommands,
  ...implementCommands,
  ...reviewCommands,
  ...refactorCommands,
  statsCommand,
  helpCommand,
];

/** Webhook wiring: the comment router first, then each feature's own events. */
export const listeners: readonly RegisterListeners[] = [
  registerCommentCommands,
  registerPlanListeners,
  registerImplementListeners,
  registerReviewListeners,
  registerRefactorListeners,
];
