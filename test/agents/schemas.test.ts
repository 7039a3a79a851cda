import { describe, expect, it } from "vitest";
import { z } from "zod";
import { TaskListSchema } from "../../src/agents/coordinator/schema.js";
import { IntentSchema } from "../../src/agents/enhancer/schema.js";
import { EpicSchema } from "../../src/agents/feature/schema.js";
import { PlanSchema } from "../../src/agents/planner/schema.js";
import { VisualSchema } from "../../src/agents/visualizer/schema.js";

const outputs = { IntentSchema, EpicSchema, PlanSchema, TaskListSchema, VisualSchema };

function depth(schema: unknown): number {
  if (schema === null || typeof schema !== "object") return 0;
  const node = schema as { properties?: Record<string, unknown>; items?: unknown };
  const children = [...Object.values(node.properties ?? {}), ...(node.items ? [node.items] : [])];
  const nested = node.properties ? 1 : 0;
  return nested + Math.max(0, ...children.map(depth));
}

describe("agent output schemas", () => {
  for (const [name, schema] of Object.entries(outputs)) {
    it(`${name} converts to a JSON Schema without unions, no deeper than three objects`, () => {
      const json = z.toJSONSchema(schema);
      const text = JSON.stringify(json);
      expect(text).not.toMatch(/"(anyOf|oneOf|allOf)"/);
      expect(depth(json)).toBeLessThanOrEqual(3);
    });

    it(`${name} bounds every string and every list`, () => {
      const text = JSON.stringify(z.toJSONSchema(schema));
      const strings = text.match(/"type":"string"(?!,"enum")[^}]*/g) ?? [];
      const unbounded = strings.filter((s) => !s.includes("maxLength") && !s.includes("enum"));
      expect(unbounded).toEqual([]);
      const arrays = text.match(/"type":"array"/g)?.length ?? 0;
      const bounded = text.match(/"maxItems"/g)?.length ?? 0;
      expect(bounded).toBe(arrays);
    });
  }
});
