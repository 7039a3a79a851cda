// Two apps in one process (two tests, or two Probot instances) never share what they remember.
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

useGitHubMock();

function labelApp() {
  return createTestProbot({
    app: createSymphonyApp({
      runtime: createFakeRuntime(),
      botLogin: TEST_BOT_LOGIN,
      listeners: [registerPlanListeners, registerImplementListeners],
    }),
  });
}

describe("two app instances in one process", () => {
  it("each reads its own settings for a delivery both receive at once", async () => {
    const [first, second] = await Promise.all([labelApp(), labelApp()]);
    // Each instance holds its own installation token, and each reads the settings once.
    const scope = mockInstallationToken(mockInstallationToken(githubApi()));
    mockRepoConfig(mockRepoConfig(scope, undefined), undefined);
    const payload = webhookPayload("issues.labeled", (event) => {
      event.label = { ...event.label!, name: "bug" };
    });

    await Promise.all([
      deliver(first, "issues.labeled", payload, "delivery-1"),
      deliver(second, "issues.labeled", structuredClone(payload), "delivery-1"),
    ]);

    expect(scope.pendingMocks()).toEqual([]);
  });
});
