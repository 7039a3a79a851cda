// What every prompt says the same way: the language rule its rules end with.
import type { ChatMessage } from "../runner/types.js";

/** The line every prompt ends its rules with, so prose comes back in the configured language. */
export function languageRule(language: string | undefined): string {
  return `Write every sentence in ${language?.trim() || "English"}; keep code, paths and identifiers as they are.`;
}

/** The first line of every planning agent's rules. */
export function planningRole(agent: string): string {
  return `You are the ${agent} of Symphony, a planning assistant for a GitHub repository.`;
}

/**
 * The planning agents' rules as the system message, ending with the language rule; defineAgent
 * adds the worked example, and ends the user message with the reply's shape.
 */
export function planningPrompt(
  rules: readonly string[],
  language: string | undefined,
  parts: readonly string[],
): ChatMessage[] {
  const system = [...rules, languageRule(language)];
  return [
    { role: "system", content: system.join("\n") },
    { role: "user", content: parts.join("\n\n") },
  ];
}

/** One part of the user message: `<name>`, the text, `</name>`. */
export function tagged(name: string, text: string): string {
  return `<${name}>\n${text}\n</${name}>`;
}

/** `/symphony plan <what to change>`: the change, and what to apply it to. */
export function changeRequestParts(change: string | undefined, previous: string): string[] {
  if (change === undefined) return [];
  return [
    tagged("change_request", change),
    `Apply the change request to the previous ${previous}; keep what it does not change.`,
  ];
}
