import { describe, expect, it } from "vitest";
import { createSymphonyApp } from "../../src/create-app.js";
import { registerImplementListeners } from "../../src/features/implement/implement.js";
import { registerPlanListeners } from "../../src/features/plan/plan.js";
import { githubApi, mockRepoConfig, useGitHubMock } from "../support/github.js";
import {
  createFakeRuntime,
  createTestProbot,
  deliver,
  mockInstallationToken,
  TEST_BOT_LOGIN,
  webhookPayload,
} from "../support/probot.js";

// A request no mock answers fails the test: a second read of the settings would be one.
useGitHubMock();

describe("a label added to an issue", () => {
  it("reads the repository's settings once for every label feature that hears it", async () => {
    const probot = await createTestProbot({
      app: createSymphonyApp({
        runtime: createFakeRuntime(),
        botLogin: TEST_BOT_LOGIN,
        listeners: [registerPlanListeners, registerImplementListeners],
      }),
    });
    const scope = mockInstallationToken(githubApi());
    mockRepoConfig(scope, undefined);
    const payload = webhookPayload("issues.labeled", (event) => {
      event.label = { ...event.label!, name: "bug" };
    });

    await deliver(probot, "issues.labeled", payload);

    expect(scope.isDone()).toBe(true);
  });
});
