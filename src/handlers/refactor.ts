// Placeholder wiring, replaced by the refactor feature: its commands and webhook listeners.
import type { SymphonyCommand } from "../app/commands.js";
import type { RegisterListeners } from "../app/services.js";

export const refactorCommands: readonly SymphonyCommand[] = [];

export const registerRefactorListeners: RegisterListeners = () => undefined;
