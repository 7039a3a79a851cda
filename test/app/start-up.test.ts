import { describe, expect, it, vi } from "vitest";
import { createSymphonyApp } from "../../src/create-app.js";
import type { ProviderHealth } from "../../src/runner/types.js";
import { createFakeRuntime, createTestProbot, TEST_BOT_LOGIN } from "../support/probot.js";

async function start(health: ProviderHealth | (() => Promise<ProviderHealth>)) {
  const probot = await createTestProbot();
  await probot.ready();
  const info = vi.spyOn(probot.log, "info");
  const warn = vi.spyOn(probot.log, "warn");
  const runtime = createFakeRuntime({
    describe: "ollama http://gpu-1:11434 model qwen2.5-coder:14b",
    health,
  });
  await probot.load(createSymphonyApp({ runtime, botLogin: TEST_BOT_LOGIN }));
  return { info, warn };
}

describe("start-up", () => {
  it("logs which model host and model it will use", async () => {
    const { info } = await start({ reachable: true, modelPresent: true });

    expect(info).toHaveBeenCalledWith(
      { models: "ollama http://gpu-1:11434 model qwen2.5-coder:14b" },
      "Symphony will use ollama http://gpu-1:11434 model qwen2.5-coder:14b",
    );
  });

  it("finishes loading while the model host has not answered yet", async () => {
    const { info } = await start(() => new Promise<ProviderHealth>(() => undefined));

    expect(info).toHaveBeenCalledTimes(1);
  });

  it("logs that the host answered and has the model", async () => {
    const { info } = await start({ reachable: true, modelPresent: true, version: "0.12.3" });

    await vi.waitFor(() =>
      expect(info).toHaveBeenLastCalledWith(
        expect.anything(),
        "the model host answered (version 0.12.3) and has the model",
      ),
    );
  });

  it("warns when the host does not answer", async () => {
    const problem = "the Ollama host http://gpu-1:11434 did not answer: connection refused";
    const { warn } = await start({ reachable: false, problem });

    await vi.waitFor(() => expect(warn).toHaveBeenCalledWith(expect.anything(), problem));
  });

  it("warns when the model is not on the host", async () => {
    const problem =
      "model qwen2.5-coder:14b is not on the Ollama host: run `ollama pull qwen2.5-coder:14b`";
    const { warn } = await start({ reachable: true, modelPresent: false, problem });

    await vi.waitFor(() => expect(warn).toHaveBeenCalledWith(expect.anything(), problem));
  });

  it("warns instead of crashing when the health check itself throws", async () => {
    const { warn } = await start(() => Promise.reject(new Error("boom")));

    await vi.waitFor(() =>
      expect(warn).toHaveBeenCalledWith(expect.anything(), "could not check the model host"),
    );
  });
});
