import { afterEach, describe, expect, it, vi } from "vitest";
import symphony from "../../src/index.js";
import { closedPortUrl } from "../support/model-server.js";
import { createTestProbot } from "../support/probot.js";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the default export", () => {
  it("builds the model runtime from the environment and says where models run", async () => {
    const host = await closedPortUrl();
    vi.stubEnv("OLLAMA_HOST", host);
    vi.stubEnv("SYMPHONY_MODEL", "qwen2.5-coder:7b");
    const probot = await createTestProbot();
    await probot.ready();
    const info = vi.spyOn(probot.log, "info");
    const warn = vi.spyOn(probot.log, "warn");

    await probot.load(symphony);

    const [, message] = info.mock.calls[0] ?? [];
    expect(message).toContain(host);
    expect(message).toContain("qwen2.5-coder:7b");
    await vi.waitFor(() => expect(warn).toHaveBeenCalled());
  });
});
