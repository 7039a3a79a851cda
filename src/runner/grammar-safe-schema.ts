// The JSON Schema sent to the engine (Ollama `format`, OpenAI `response_format`): what a
// llama.cpp grammar enforces cheaply, derived from the full schema. Everything else stays in
// zod's validation of the reply, which still sees the whole schema.
//
// Why: llama.cpp turns the schema into a GBNF grammar and expands every bound into nested
// rules. Its parser refuses a string bound of 2000 and up ("number of rules that are going to
// be repeated … exceeds sane defaults", a 500 from Ollama and llama-server), and above 2000 it
// silently drops the bound; long bounds also make sampling slower. Keys it ignores (`format`,
// `pattern` beyond its regex subset, `default`, `multipleOf`…) are dropped so no engine chokes on
// them.

import type { z } from "zod";
import { jsonSchemaFor } from "./structured-output.js";

/** Longest string bound kept in the grammar; longer ones are checked by zod only. */
export const GRAMMAR_STRING_BOUND = 64;
/** Largest array bound kept in the grammar. */
export const GRAMMAR_ARRAY_BOUND = 50;

/** Keys llama.cpp's json_schema_to_grammar turns into rules; every other key is dropped. */
const ENFORCED_KEYS = new Set([
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "prefixItems",
  "enum",
  "const",
  "anyOf",
  "oneOf",
  "allOf",
  "$ref",
  "$defs",
  "definitions",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  // Ignored by the grammar but read by models that see the schema; cheap to keep.
  "description",
]);

/** Keys whose value is a map of names to subschemas. */
const SCHEMA_MAPS = new Set(["properties", "$defs", "definitions"]);
/** Keys whose value is a subschema or a list of them. */
const SUBSCHEMAS = new Set([
  "items",
  "prefixItems",
  "anyOf",
  "oneOf",
  "allOf",
  "additionalProperties",
]);

const safeSchemas = new WeakMap<object, Record<string, unknown>>();

/** What the engine gets for a reply schema: the grammar-safe form of its JSON Schema. */
export function engineSchemaFor(schema: z.ZodType): Record<string, unknown> {
  return grammarSafeSchema(jsonSchemaFor(schema));
}

/** The grammar-safe form of a JSON Schema (as `jsonSchemaFor` makes it); cached per schema. */
export function grammarSafeSchema(json: Record<string, unknown>): Record<string, unknown> {
  let safe = safeSchemas.get(json);
  if (!safe) {
    safe = safeNode(json);
    safeSchemas.set(json, safe);
  }
  return safe;
}

function safeNode(node: Record<string, unknown>): Record<string, unknown> {
  const safe: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (!ENFORCED_KEYS.has(key)) continue;
    if (SCHEMA_MAPS.has(key) && isObject(value)) {
      safe[key] = Object.fromEntries(
        Object.entries(value).map(([name, child]) => [name, safeChild(child)]),
      );
    } else if (SUBSCHEMAS.has(key)) {
      safe[key] = Array.isArray(value) ? value.map(safeChild) : safeChild(value);
    } else {
      safe[key] = value;
    }
  }
  dropLongBounds(safe, "minLength", "maxLength", GRAMMAR_STRING_BOUND);
  dropLongBounds(safe, "minItems", "maxItems", GRAMMAR_ARRAY_BOUND);
  return safe;
}

function safeChild(child: unknown): unknown {
  return isObject(child) ? safeNode(child) : child;
}

/**
 * Drops a bound pair the grammar would expand into too many rules. A long minimum goes too,
 * since `x{500,}` costs as much as `x{0,500}`; a short minimum stays (`minLength: 1` is cheap).
 */
function dropLongBounds(
  node: Record<string, unknown>,
  minKey: string,
  maxKey: string,
  limit: number,
): void {
  const max = node[maxKey];
  const min = node[minKey];
  if (typeof max === "number" && max > limit) delete node[maxKey];
  if (typeof min === "number" && min > limit) delete node[minKey];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
