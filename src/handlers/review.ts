// Placeholder wiring, replaced by the review feature: its commands and webhook listeners.
import type { SymphonyCommand } from "../app/commands.js";
import type { RegisterListeners } from "../app/services.js";

export const reviewCommands: readonly SymphonyCommand[] = [];

export const registerReviewListeners: RegisterListeners = () => undefined;
