// Placeholder wiring, replaced by the plan feature: its commands and webhook listeners.
import type { SymphonyCommand } from "../app/commands.js";
import type { RegisterListeners } from "../app/services.js";

export const planCommands: readonly SymphonyCommand[] = [];

export const registerPlanListeners: RegisterListeners = () => undefined;
