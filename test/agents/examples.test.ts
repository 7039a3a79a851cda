// Every agent's worked example and output rule: the example is a value of the agent's own reply
// type (typecheck fails when they drift), parses with the schema the agent sends, lists its keys in
// the order the model generates them, and the prompt ends with that order after the data.
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { replyRule } from "../../src/agents/reply-rule.js";
import { jsonSchemaFor } from "../../src/runner/structured-output.js";
import { agentCases } from "./agent-cases.js";

/** Where `value`'s keys leave the order of `schema`'s properties, as paths; empty when none. */
function outOfOrder(value: unknown, schema: unknown, at = ""): string[] {
  const node = schema as { properties?: Record<string, unknown>; items?: unknown };
  if (Array.isArray(value))
    return value.flatMap((item, i) => outOfOrder(item, node.items, `${at}[${i}]`));
  if (typeof value !== "object" || value === null || !node.properties) return [];
  const order = Object.keys(node.properties);
  const keys = Object.keys(value);
  const sorted = [...keys].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const here = keys.join() === sorted.join() ? [] : [`${at || "."}: ${keys.join(", ")}`];
  return [
    ...here,
    ...keys.flatMap((key) =>
      outOfOrder((value as Record<string, unknown>)[key], node.properties![key], `${at}.${key}`),
    ),
  ];
}

describe("every agent's worked example", () => {
  for (const { label, agent, input } of agentCases()) {
    const parsed = agent.input.parse(input);
    const schema = agent.replySchema(parsed) as z.ZodType;

    it(`${label}: the example parses with the schema the agent sends`, () => {
      expect(agent.example).toBeDefined();
      expect(schema.safeParse(agent.example).error?.issues ?? []).toEqual([]);
    });

    it(`${label}: the example writes its keys in the order the model generates them`, () => {
      expect(outOfOrder(agent.example, jsonSchemaFor(schema))).toEqual([]);
    });

    it(`${label}: the prompt shows the example, and ends after the data with the reply's keys`, () => {
      const messages = agent.messages(parsed);
      expect(messages[0]?.role).toBe("system");
      expect(messages[0]?.content).toContain(JSON.stringify(agent.example));
      const last = messages.at(-1)!;
      expect(last.role).toBe("user");
      expect(last.content.endsWith(replyRule(jsonSchemaFor(schema)))).toBe(true);
    });
  }
});
