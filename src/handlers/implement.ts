// Placeholder wiring, replaced by the implement feature: its commands and webhook listeners.
import type { SymphonyCommand } from "../app/commands.js";
import type { RegisterListeners } from "../app/services.js";

export const implementCommands: readonly SymphonyCommand[] = [];

export const registerImplementListeners: RegisterListeners = () => undefined;
