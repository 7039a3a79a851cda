// `npm run bench prompts`: per agent, on one fixed input, the prompt tokens as the runtime sends it
// (instructions, worked example, schema text and data, by Symphony's estimate) and the leaf fields
// of the JSON Schema the model generates: what prompt changes cost or save on an 8k context.
import type { z } from "zod";
import { engineSchemaFor } from "../src/runner/grammar-safe-schema.js";
import { exampleText, replyRule } from "../src/agents/reply-rule.js";
import { jsonSchemaFor } from "../src/runner/structured-output.js";
import { estimateMessageTokens, estimateTokens } from "../src/runner/token-estimate.js";
import { agentCases, type AgentCase } from "../test/agents/agent-cases.js";
import type { BenchResult } from "./types.js";

interface Row {
  agent: string;
  promptVersion: string;
  "prompt tokens": number;
  "schema tokens": number;
  "example tokens": number;
  "rule tokens": number;
  "fields generated": number;
}

/** One agent's row: its prompt as sent for its input, and the fields of the schema it sends. */
function measure({ label, agent, input }: AgentCase): Row {
  const parsed = agent.input.parse(input);
  const schema = agent.replySchema(parsed) as z.ZodType;
  const sent = engineSchemaFor(schema);
  return {
    agent: label,
    promptVersion: agent.promptVersion,
    "prompt tokens": estimateMessageTokens(agent.sentMessages(parsed)),
    "schema tokens": estimateTokens(JSON.stringify(sent)),
    "example tokens": agent.example === undefined ? 0 : estimateTokens(exampleText(agent.example)),
    "rule tokens": estimateTokens(replyRule(jsonSchemaFor(schema))),
    "fields generated": leafFields(sent),
  };
}

/** Leaf fields of a JSON Schema: properties that hold a value, not an object of more fields. */
export function leafFields(schema: unknown): number {
  if (schema === null || typeof schema !== "object") return 0;
  const node = schema as { properties?: Record<string, unknown>; items?: unknown };
  if (node.properties)
    return Object.values(node.properties).reduce<number>((n, s) => n + leafOrMore(s), 0);
  if (node.items) return leafFields(node.items);
  return 0;
}

function leafOrMore(schema: unknown): number {
  const inner = leafFields(schema);
  return inner > 0 ? inner : 1;
}

export default async function promptsBench(): Promise<BenchResult> {
  return {
    title: "prompt tokens (Symphony's estimate) and generated fields per agent, on one fixed input",
    rows: agentCases().map((item) => ({ ...measure(item) })),
  };
}
