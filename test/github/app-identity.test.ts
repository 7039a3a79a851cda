import { describe, expect, it } from "vitest";
import { createBotLogin } from "../../src/github/app-identity.js";
import { githubApi, testClient, useGitHubMock } from "../support/github.js";

useGitHubMock();

const app = { auth: () => Promise.resolve(testClient()) };

describe("createBotLogin", () => {
  it("asks GitHub for the app's slug once and remembers it", async () => {
    const scope = githubApi().get("/app").once().reply(200, { id: 1, slug: "symphony-ci" });
    const botLogin = createBotLogin(app);

    expect(await botLogin()).toBe("symphony-ci[bot]");
    expect(await botLogin()).toBe("symphony-ci[bot]");
    expect(scope.isDone()).toBe(true);
  });

  it("asks again after a failed lookup", async () => {
    const scope = githubApi()
      .get("/app")
      .reply(500, { message: "oops" })
      .get("/app")
      .reply(200, { id: 1, slug: "symphony-ci" });
    const botLogin = createBotLogin(app);

    await expect(botLogin()).rejects.toMatchObject({ status: 500 });
    expect(await botLogin()).toBe("symphony-ci[bot]");
    expect(scope.isDone()).toBe(true);
  });
});
