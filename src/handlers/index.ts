// Every command and webhook listener the app registers. Features add their line here.
import type { SymphonyCommand } from "../app/commands.js";
import type { RegisterListeners } from "../app/services.js";
import { registerCommentCommands } from "./comment-commands.js";
import { helpCommand } from "./help.js";

/** `/symphony <name>` commands, listed by `/symphony help` in their canonical order. */
export const commands: readonly SymphonyCommand[] = [helpCommand];

/** Webhook wiring: the comment router first, then each feature's own events. */
export const listeners: readonly RegisterListeners[] = [registerCommentCommands];
