// What every JSON-reply prompt shows about its answer: a worked example in the instructions, and
// the output rule again after the data, where a small model's attention is when it starts writing.
import type { ChatMessage } from "../runner/types.js";

/**
 * The reply's keys in generation order, nested: `{title, kind, requirements[], epic: {name}}`.
 * Short enough to end every prompt with (a few tokens per key), and it repeats the order the
 * grammar enforces, so the model writes its reasoning fields before its verdicts.
 */
export function replyShape(schema: unknown): string {
  const node = asNode(schema);
  const properties = node?.["properties"];
  if (!isRecord(properties)) return "{}";
  const keys = Object.entries(properties).map(([key, value]) => key + valueShape(value));
  return `{${keys.join(", ")}}`;
}

function valueShape(schema: unknown): string {
  const node = asNode(schema);
  if (!node) return "";
  if (isRecord(node["properties"])) return `: ${replyShape(node)}`;
  const items = asNode(node["items"]);
  if (!items) return "";
  return isRecord(items["properties"]) ? `: [${replyShape(items)}]` : "[]";
}

function asNode(schema: unknown): Record<string, unknown> | undefined {
  return isRecord(schema) ? schema : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The line the user message ends with: what the answer must look like. */
export function replyRule(schema: unknown): string {
  return `Reply now with one JSON object and nothing else, its keys in this order: ${replyShape(schema)}.`;
}

/** The example as the system prompt shows it: one line of JSON, marked as a shape to copy. */
export function exampleText(example: unknown): string {
  return `Example of a reply (another case; copy its shape, not its content):\n${JSON.stringify(example)}`;
}

/**
 * The messages with the example at the end of the system message (before the schema text the
 * runtime appends) and the output rule at the end of the last user message, after the data.
 */
export function withReplyRule(
  messages: readonly ChatMessage[],
  rule: string,
  example?: unknown,
): ChatMessage[] {
  const out = messages.map((message) => ({ ...message }));
  const system = out[0]?.role === "system" ? out[0] : undefined;
  if (example !== undefined) {
    if (system) system.content = `${system.content}\n\n${exampleText(example)}`;
    else out.unshift({ role: "system", content: exampleText(example) });
  }
  const last = out.at(-1);
  if (last?.role === "user") last.content = `${last.content}\n\n${rule}`;
  else out.push({ role: "user", content: rule });
  return out;
}
