import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadRuntimeSettings } from "../../src/runner/index.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";
import { ask, MODEL, onlyLocalNetwork, testRuntime } from "./runtime-fixture.js";

onlyLocalNetwork();

const SMALL = "llama3.2:3b";

describe("the operator's routing by agent", () => {
  let server: ModelServer;
  beforeEach(async () => {
    server = await startModelServer({ models: [{ name: MODEL }, { name: SMALL }] });
    server.respond((request) => ({ content: String(request.body?.["model"]) }));
  });
  afterEach(async () => {
    await server.close();
  });

  const routed = {
    SYMPHONY_MODEL_TIERS: `fast=${SMALL},coder=${MODEL}`,
    SYMPHONY_AGENT_MODELS: "enhancer=fast,visualizer=fast,editor=coder",
  };

  it("sends each agent to the model of its tier, and others to the default model", async () => {
    const { runtime } = testRuntime({ OLLAMA_HOST: server.url, ...routed });
    const modelFor = async (agent: string) =>
      (await runtime.generateText(ask("Go.", { agent }))).text;
    expect(await modelFor("enhancer")).toBe(SMALL);
    expect(await modelFor("visualizer")).toBe(SMALL);
    expect(await modelFor("editor")).toBe(MODEL);
    expect(await modelFor("planner")).toBe(MODEL);
  });

  it("lets the repository's choice among allowed models win over the routing", async () => {
    const { runtime } = testRuntime({ OLLAMA_HOST: server.url, ...routed });
    const reply = await runtime.generateText(ask("Go.", { agent: "enhancer", model: MODEL }));
    expect(reply.text).toBe(MODEL);
  });

  it("allows the routed models even where SYMPHONY_ALLOWED_MODELS leaves them out", () => {
    const settings = loadRuntimeSettings({ ...routed, SYMPHONY_ALLOWED_MODELS: MODEL });
    expect(settings.allowedModels).toEqual([MODEL, SMALL]);
    expect(settings.agentModels).toEqual({ enhancer: SMALL, visualizer: SMALL, editor: MODEL });
  });

  it("reads tiers and agents from the operator file, the variables winning", () => {
    const dir = mkdtempSync(join(tmpdir(), "symphony-routing-"));
    const file = join(dir, "routing.yml");
    writeFileSync(file, `tiers:\n  fast: ${SMALL}\nagents:\n  enhancer: fast\n  planner: fast\n`);
    const settings = loadRuntimeSettings({
      SYMPHONY_ROUTING_FILE: file,
      SYMPHONY_AGENT_MODELS: `planner=${MODEL}`,
    });
    expect(settings.agentModels).toEqual({ enhancer: SMALL, planner: MODEL });
  });

  it("refuses an entry that is not name=model, quoting it", () => {
    expect(() => loadRuntimeSettings({ SYMPHONY_AGENT_MODELS: "enhancer" })).toThrow(
      'SYMPHONY_AGENT_MODELS must be a comma-separated list of name=model pairs (the entry "enhancer" is not)',
    );
  });
});
