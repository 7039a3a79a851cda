// Two apps in one process (two tests, or two Probot instances) never share what they remember.
import { describe, expect, it } from "vitest";
import { registerImplementListeners } from "../../src/features/implement/implement.js";
import { registerPlanListeners } from "../../src/features/plan/plan.js";
import { githubApi, mockRepoConfig, useGitHubMock } from "../support/github.js";
import { deliver, mockInstallationToken, webhookPayload } from "../support/probot.js";
import { givenApp } from "../support/given.js";

useGitHubMock();

async function labelApp() {
  const { probot } = await givenApp({
    listeners: [registerPlanListeners, registerImplementListeners],
  });
  return probot;
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
