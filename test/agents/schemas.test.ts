import { describe, expect, it } from "vitest";
import { z } from "zod";
import { TaskListReplySchema } from "../../src/agents/coordinator/schema.js";
import { findingSchema, reviewReplySchema } from "../../src/agents/editor/review.js";
import { IntentSchema } from "../../src/agents/enhancer/schema.js";
import { DeeperReplySchema, EpicReplySchema } from "../../src/agents/feature/schema.js";
import { FilesReplySchema } from "../../src/agents/planner/files-prompt.js";
import { PlanReplySchema } from "../../src/agents/planner/schema.js";
import { diagramReplySchema } from "../../src/agents/visualizer/review-diagram.js";
import { VisualSchema } from "../../src/agents/visualizer/schema.js";
import { plannerReplySchema } from "../../src/features/refactor/suggest.js";
import type { HotspotRow } from "../../src/features/refactor/hotspots.js";
import { jsonSchemaFor } from "../../src/runner/structured-output.js";
import { engineSchemaFor } from "../../src/runner/grammar-safe-schema.js";

const outputs = {
  IntentSchema,
  EpicReplySchema,
  DeeperReplySchema,
  FilesReplySchema,
  PlanReplySchema,
  TaskListReplySchema,
  VisualSchema,
};

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

/** The properties of a JSON Schema object in the order they are sent (and so generated). */
function order(schema: unknown, ...path: string[]): string[] {
  let node = schema as Record<string, unknown>;
  for (const key of path) {
    const properties = node["properties"] as Record<string, Record<string, unknown>>;
    const next = properties[key]!;
    node = (next["items"] as Record<string, unknown> | undefined) ?? next;
  }
  return Object.keys(node["properties"] as Record<string, unknown>);
}

/** Whether every name in `first` comes before every name in `then`. */
function before(keys: readonly string[], first: readonly string[], then: readonly string[]) {
  const last = Math.max(...first.map((key) => keys.indexOf(key)));
  const next = Math.min(...then.map((key) => keys.indexOf(key)));
  return [first, then].flat().every((key) => keys.includes(key)) && last < next;
}

describe("reasoning before verdicts, in the order the engine generates the fields", () => {
  const sent = (schema: z.ZodType) => engineSchemaFor(schema);

  it("a review finding's title and explanation come before its line, severity and rule", () => {
    const keys = order(sent(reviewReplySchema), "findings");
    expect(keys.slice(0, 2)).toEqual(["title", "body"]);
    expect(before(keys, ["title", "body"], ["path", "line", "snippet", "severity", "rule"])).toBe(
      true,
    );
    expect(Object.keys(jsonSchemaFor(findingSchema)["properties"] as object)).toEqual(keys);
  });

  it("the intent's restatement comes before its kind", () => {
    const keys = order(sent(IntentSchema));
    expect(before(keys, ["title", "problem_statement"], ["kind"])).toBe(true);
  });

  it("the backlog's text comes before its priority, complexity and story points", () => {
    expect(
      before(
        order(sent(EpicReplySchema), "epic"),
        ["name", "goal", "description"],
        ["complexity", "priority"],
      ),
    ).toBe(true);
    expect(
      before(
        order(sent(EpicReplySchema), "features"),
        ["title", "user_story", "acceptance_criteria"],
        ["story_points"],
      ),
    ).toBe(true);
    expect(
      before(
        order(sent(DeeperReplySchema), "features", "subtasks"),
        ["title", "technical_requirements"],
        ["estimated_hours", "assignee_type"],
      ),
    ).toBe(true);
  });

  it("the design's approach and decisions come before the files it decides on", () => {
    const keys = order(sent(PlanReplySchema));
    expect(before(keys, ["approach", "design_decisions"], ["files_to_change"])).toBe(true);
    expect(order(sent(FilesReplySchema))).toEqual(["what_to_check", "files_to_read"]);
  });

  it("a task's description and checks come before its estimate", () => {
    const keys = order(sent(TaskListReplySchema), "tasks");
    expect(before(keys, ["title", "description", "success_criteria"], ["estimated_hours"])).toBe(
      true,
    );
  });

  it("the diagram names its flow before drawing it, and a refactor its reasons before its smell", () => {
    expect(order(sent(diagramReplySchema))).toEqual(["flow", "mermaid"]);
    const hotspot = { worstFunctions: [{ name: "render" }] } as unknown as HotspotRow;
    const keys = order(sent(plannerReplySchema(hotspot)), "suggestions");
    expect(before(keys, ["target", "title", "why"], ["smell"])).toBe(true);
  });
});

describe("fewer fields for the model", () => {
  const properties = (schema: z.ZodType, ...path: string[]) =>
    order(jsonSchemaFor(schema), ...path);

  it("asks for no ids, statuses or priorities that code fills", () => {
    expect(properties(EpicReplySchema, "epic")).not.toContain("id");
    expect(properties(EpicReplySchema, "epic")).not.toContain("status");
    expect(properties(EpicReplySchema, "features")).not.toContain("id");
    expect(properties(EpicReplySchema)).toEqual(["epic", "features"]);
    expect(properties(EpicReplySchema, "features")).not.toContain("subtasks");
    expect(properties(DeeperReplySchema, "features", "subtasks")).not.toContain("id");
    for (const key of ["task_id", "assigned_agent", "priority", "dependencies"]) {
      expect(properties(TaskListReplySchema, "tasks")).not.toContain(key);
    }
    expect(properties(PlanReplySchema)).not.toContain("files_to_read");
    expect(properties(diagramReplySchema)).not.toContain("worth_drawing");
  });
});
