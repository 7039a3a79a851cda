import { describe, expect, it } from "vitest";
import { z } from "zod";
import { reviewReplySchema } from "../../src/agents/editor/review.js";
import { engineSchemaFor, grammarSafeSchema } from "../../src/runner/grammar-safe-schema.js";
import { startModelServer } from "../support/model-server.js";
import { ModelRequestRejectedError } from "../../src/runner/index.js";
import {
  ask,
  bodies,
  bothProviders,
  onlyLocalNetwork,
  rejectionOf,
  testRuntime,
} from "./runtime-fixture.js";

onlyLocalNetwork();

/** The node at a path of keys in a JSON Schema. */
function at(json: unknown, ...keys: string[]): Record<string, unknown> {
  let node = json;
  for (const key of keys) node = (node as Record<string, unknown>)[key];
  return node as Record<string, unknown>;
}

describe("the schema sent to the engine", () => {
  it("drops the finding body's 2000-character bound, which llama.cpp's grammar parser refuses", () => {
    const finding = at(engineSchemaFor(reviewReplySchema), "properties", "findings", "items");
    expect(at(finding, "properties", "body")).toEqual({ type: "string" });
    expect(at(finding, "properties", "title")).toEqual({ type: "string", minLength: 1 });
  });

  it("keeps types, required keys, key order, enums and small array bounds", () => {
    const findings = at(engineSchemaFor(reviewReplySchema), "properties", "findings");
    const items = at(findings, "items");
    expect(findings["maxItems"]).toBe(20);
    // What the finding says comes first: the grammar generates keys in this order.
    expect(items["required"]).toEqual([
      "title",
      "body",
      "path",
      "line",
      "snippet",
      "severity",
      "rule",
    ]);
    expect(Object.keys(at(items, "properties"))).toEqual([
      "title",
      "body",
      "path",
      "line",
      "end_line",
      "snippet",
      "severity",
      "rule",
      "suggestion",
      "multiline_fix",
    ]);
    expect(at(items, "properties", "severity")["enum"]).toEqual([
      "critical",
      "major",
      "minor",
      "nit",
    ]);
    expect(items["additionalProperties"]).toBe(false);
  });

  it("keeps short string bounds and drops keys no grammar enforces", () => {
    const json = grammarSafeSchema(
      z.toJSONSchema(
        z.object({
          code: z
            .string()
            .min(2)
            .max(8)
            .regex(/^[A-Z]+$/),
          site: z.url(),
          tags: z.array(z.string()).max(500).default([]),
        }),
      ) as Record<string, unknown>,
    );
    expect(at(json, "properties", "code")).toEqual({ type: "string", minLength: 2, maxLength: 8 });
    expect(at(json, "properties", "site")).toEqual({ type: "string" });
    expect(at(json, "properties", "tags")).toEqual({ type: "array", items: { type: "string" } });
    expect(json["$schema"]).toBeUndefined();
  });
});

describe.each(bothProviders)("a reply schema on the wire through $name", (provider) => {
  it("is the grammar-safe one, while the prompt states the whole schema", async () => {
    const server = await startModelServer();
    try {
      const { runtime } = testRuntime(provider.env(server));
      server.enqueue({ json: { findings: [] } });
      await runtime.generateObject({ ...ask("Review."), schema: reviewReplySchema });
      const body = bodies(server)[0];
      expect(provider.sentSchema(body)).toEqual(engineSchemaFor(reviewReplySchema));
      expect(JSON.stringify(body?.["messages"])).toContain('\\"maxLength\\":2000');
    } finally {
      await server.close();
    }
  });
});

describe.each(bothProviders)("a host that cannot build the grammar, through $name", (provider) => {
  it("is not asked again, and the message says the schema is at fault", async () => {
    const server = await startModelServer();
    try {
      const { runtime } = testRuntime(provider.env(server));
      server.enqueue({
        fault: "status",
        status: 500,
        error:
          "failed to load grammar: number of rules that are going to be repeated multiplied by the new repetition exceeds sane defaults",
      });
      const error = await rejectionOf(
        runtime.generateObject({ ...ask("Review."), schema: reviewReplySchema }),
      );
      expect(error).toBeInstanceOf(ModelRequestRejectedError);
      expect(error.message).toMatch(/could not build a grammar from the reply schema/);
      expect(server.chatRequests()).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
