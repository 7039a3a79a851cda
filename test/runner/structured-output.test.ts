import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ModelOutputError } from "../../src/runner/index.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";
import {
  ask,
  bodies,
  bothProviders,
  lastMessageContent,
  onlyLocalNetwork,
  rejectionOf,
  testRuntime,
  type ProviderCase,
} from "./runtime-fixture.js";

onlyLocalNetwork();

const Plan = z.object({
  title: z.string(),
  tasks: z.array(z.object({ id: z.number().int(), summary: z.string() })),
});
const plan = { title: "Add a cache", tasks: [{ id: 1, summary: "Write the cache" }] };
const planSchemaJson = {
  type: "object",
  properties: {
    title: { type: "string" },
    tasks: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: { type: "integer", minimum: -9007199254740991, maximum: 9007199254740991 },
          summary: { type: "string" },
        },
        required: ["id", "summary"],
        additionalProperties: false,
      },
    },
  },
  required: ["title", "tasks"],
  additionalProperties: false,
};

function askForPlan(maxRepairs?: number) {
  return {
    ...ask("Plan issue #12."),
    schema: Plan,
    ...(maxRepairs !== undefined ? { maxRepairs } : {}),
  };
}

describe.each(bothProviders)("structured output through $name", (provider: ProviderCase) => {
  let server: ModelServer;
  beforeEach(async () => {
    server = await startModelServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it("sends the schema's JSON Schema with the request", async () => {
    const { runtime } = testRuntime(provider.env(server));
    server.enqueue({ json: plan });
    await runtime.generateObject(askForPlan());
    expect(provider.sentSchema(bodies(server)[0])).toEqual(planSchemaJson);
  });

  it("states the schema in the prompt as well", async () => {
    const { runtime } = testRuntime(provider.env(server));
    server.enqueue({ json: plan });
    await runtime.generateObject(askForPlan());
    const messages = bodies(server)[0]?.["messages"];
    expect(messages).toEqual([
      {
        role: "system",
        content: expect.stringContaining(`You plan GitHub issues.\n\nReply with one JSON value`),
      },
      { role: "user", content: "Plan issue #12." },
    ]);
    expect(JSON.stringify(messages)).toContain(
      JSON.stringify(JSON.stringify(planSchemaJson)).slice(1, -1),
    );
  });

  it("returns the validated value of a plain JSON reply", async () => {
    const { runtime } = testRuntime(provider.env(server));
    server.enqueue({ json: plan });
    const result = await runtime.generateObject(askForPlan());
    expect(result.value).toEqual(plan);
    expect(result.usage.repairRounds).toBe(0);
  });

  it("accepts a reply fenced in a Markdown json block", async () => {
    const { runtime } = testRuntime(provider.env(server));
    server.enqueue({ json: plan, fenced: true });
    const result = await runtime.generateObject(askForPlan());
    expect(result.value).toEqual(plan);
    expect(server.chatRequests()).toHaveLength(1);
  });

  it("asks for a repair quoting the JSON error when the reply is malformed", async () => {
    const { runtime } = testRuntime(provider.env(server));
    server.enqueue({ content: '{"title": "Add a cache", "tasks": [' }, { json: plan });
    const result = await runtime.generateObject(askForPlan());
    expect(result.value).toEqual(plan);
    expect(result.usage.repairRounds).toBe(1);
    const repair = bodies(server)[1]?.["messages"];
    expect(repair).toEqual([
      expect.objectContaining({ role: "system" }),
      { role: "user", content: "Plan issue #12." },
      { role: "assistant", content: '{"title": "Add a cache", "tasks": [' },
      { role: "user", content: expect.stringContaining("the reply is not valid JSON") },
    ]);
  });

  it("asks for a repair quoting each validation error when the reply breaks the schema", async () => {
    const { runtime } = testRuntime(provider.env(server));
    server.enqueue({ json: { title: 7, tasks: [{ id: "one", summary: "x" }] } }, { json: plan });
    await runtime.generateObject(askForPlan());
    const repairTurn = lastMessageContent(bodies(server)[1]);
    expect(repairTurn).toContain("title: Invalid input: expected string, received number");
    expect(repairTurn).toContain("tasks[0].id: Invalid input: expected number, received string");
  });

  it("sends the schema again with every repair round", async () => {
    const { runtime } = testRuntime(provider.env(server));
    server.enqueue({ content: "not json" }, { json: plan });
    await runtime.generateObject(askForPlan());
    expect(provider.sentSchema(bodies(server)[1])).toEqual(planSchemaJson);
  });

  it("gives up after two repair rounds by default with the raw reply in a ModelOutputError", async () => {
    const { runtime } = testRuntime(provider.env(server));
    server.enqueue({ content: "nope 1" }, { content: "nope 2" }, { json: { title: "no tasks" } });
    const error = await rejectionOf(runtime.generateObject(askForPlan()));
    expect(error).toBeInstanceOf(ModelOutputError);
    expect(error).toMatchObject({
      rawReply: '{"title":"no tasks"}',
      issues: [expect.stringContaining("tasks: Invalid input")],
    });
    expect(error.message).toMatch(/after 2 repair round\(s\)/);
    expect(server.chatRequests()).toHaveLength(3);
  });

  it("makes only as many repair rounds as the request allows", async () => {
    const { runtime } = testRuntime(provider.env(server));
    server.enqueue({ content: "nope" });
    const error = await rejectionOf(runtime.generateObject(askForPlan(0)));
    expect(error).toBeInstanceOf(ModelOutputError);
    expect(server.chatRequests()).toHaveLength(1);
  });
});

describe("structured output on the OpenAI-compatible wire", () => {
  let server: ModelServer;
  beforeEach(async () => {
    server = await startModelServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it("names the schema after the agent and asks for strict mode when every field is required", async () => {
    const { runtime } = testRuntime({
      SYMPHONY_PROVIDER: "openai",
      OPENAI_BASE_URL: `${server.url}/v1`,
    });
    server.enqueue({ json: plan });
    await runtime.generateObject(askForPlan());
    expect(bodies(server)[0]?.["response_format"]).toMatchObject({
      type: "json_schema",
      json_schema: { name: "planner", strict: true },
    });
  });

  it("leaves strict mode off when the schema has optional fields", async () => {
    const { runtime } = testRuntime({
      SYMPHONY_PROVIDER: "openai",
      OPENAI_BASE_URL: `${server.url}/v1`,
    });
    server.enqueue({ json: { title: "x" } });
    await runtime.generateObject({
      ...ask("Plan."),
      schema: z.object({ title: z.string(), note: z.string().optional() }),
    });
    expect(bodies(server)[0]?.["response_format"]).toMatchObject({
      json_schema: { strict: false },
    });
  });
});
