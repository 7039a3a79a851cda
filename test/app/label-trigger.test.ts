import { describe, expect, it } from "vitest";
import { registerImplementListeners } from "../../src/features/implement/implement.js";
import { registerPlanListeners } from "../../src/features/plan/plan.js";
import { useGitHubMock } from "../support/github.js";
import { deliver, webhookPayload } from "../support/probot.js";
import { givenApp, givenRepository } from "../support/given.js";

// A request no mock answers fails the test: a second read of the settings would be one.
useGitHubMock();

describe("a label added to an issue", () => {
  it("reads the repository's settings once for every label feature that hears it", async () => {
    const { probot } = await givenApp({
      listeners: [registerPlanListeners, registerImplementListeners],
    });
    const scope = givenRepository();
    const payload = webhookPayload("issues.labeled", (event) => {
      event.label = { ...event.label!, name: "bug" };
    });

    await deliver(probot, "issues.labeled", payload);

    expect(scope.isDone()).toBe(true);
  });
});
