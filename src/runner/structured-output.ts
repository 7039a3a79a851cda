// Structured output: a zod schema as JSON Schema for the server and the prompt, and the reply
// parsed, validated and, when wrong, explained back to the model.
import { z } from "zod";
import type { ChatMessage } from "./types.js";

/** Issues quoted in a repair prompt; beyond a few, the model only gets confused. */
const MAX_QUOTED_ISSUES = 12;

const jsonSchemas = new WeakMap<z.ZodType, Record<string, unknown>>();

/** The schema as JSON Schema, without `$schema` (some servers reject the key); cached per schema. */
export function jsonSchemaFor(schema: z.ZodType): Record<string, unknown> {
  let json = jsonSchemas.get(schema);
  if (!json) {
    const { $schema: _ignored, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
    json = rest;
    jsonSchemas.set(schema, json);
  }
  return json;
}

/**
 * Whether OpenAI's strict mode accepts the schema: every object closed and every property
 * required. Zod's optional fields break that, and a strict server would refuse the request.
 */
export function fitsStrictMode(json: unknown): boolean {
  if (Array.isArray(json)) return json.every(fitsStrictMode);
  if (typeof json !== "object" || json === null) return true;
  const node = json as Record<string, unknown>;
  if (isObjectNode(node)) {
    const properties = Object.keys(
      (node["properties"] as Record<string, unknown> | undefined) ?? {},
    );
    const required = Array.isArray(node["required"]) ? (node["required"] as unknown[]) : [];
    if (node["additionalProperties"] !== false) return false;
    if (!properties.every((name) => required.includes(name))) return false;
  }
  return Object.values(node).every(fitsStrictMode);
}

function isObjectNode(node: Record<string, unknown>): boolean {
  return node["type"] === "object" || (node["type"] === undefined && "properties" in node);
}

/**
 * The messages with the schema stated in words as well: servers that ignore `format` or
 * `response_format` (and small models that half-follow grammars) still see what is wanted.
 */
export function withSchemaInstruction(
  messages: readonly ChatMessage[],
  json: Record<string, unknown>,
): ChatMessage[] {
  const instruction =
    "Reply with one JSON value that follows this JSON Schema, and nothing else " +
    "(no prose, no Markdown):\n" +
    JSON.stringify(json);
  const [first, ...rest] = messages;
  if (first?.role === "system") {
    return [{ role: "system", content: `${first.content}\n\n${instruction}` }, ...rest];
  }
  return [{ role: "system", content: instruction }, ...messages];
}

export type ParsedReply<T> = { ok: true; value: T } | { ok: false; issues: string[] };

/** Parses a reply as JSON (inside a Markdown fence if there is one) and validates it. */
export function parseReply<S extends z.ZodType>(text: string, schema: S): ParsedReply<z.infer<S>> {
  let value: unknown;
  try {
    value = JSON.parse(unfence(text));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, issues: [`the reply is not valid JSON: ${reason}`] };
  }
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: result.error.issues.map(describeIssue) };
}

/** The user turn that asks the model to fix its previous reply. */
export function repairRequest(issues: readonly string[]): ChatMessage {
  const quoted = issues.slice(0, MAX_QUOTED_ISSUES).map((issue) => `- ${issue}`);
  if (issues.length > MAX_QUOTED_ISSUES)
    quoted.push(`- and ${issues.length - MAX_QUOTED_ISSUES} more`);
  return {
    role: "user",
    content:
      "Your reply does not match the JSON Schema:\n" +
      quoted.join("\n") +
      "\nReply again with the whole corrected JSON value only.",
  };
}

function unfence(text: string): string {
  const trimmed = text.trim();
  const fence = /```(?:json|JSON)?[ \t]*\r?\n([\s\S]*?)\r?\n?```/.exec(trimmed);
  if (fence?.[1] !== undefined) return fence[1];
  return trimmed;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length === 0 ? "(the whole value)" : formatPath(issue.path);
  return `${path}: ${issue.message}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const key of path) {
    text += typeof key === "number" ? `[${key}]` : text === "" ? String(key) : `.${String(key)}`;
  }
  return text;
}
