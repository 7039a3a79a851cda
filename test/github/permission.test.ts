import { describe, expect, it } from "vitest";
import type { Permission } from "../../src/config/index.js";
import {
  collaboratorAccess,
  hasPermission,
  meetsPermission,
  type Access,
} from "../../src/github/permission.js";
import { githubApi, testClient, mockPermission, useGitHubMock } from "../support/github.js";

useGitHubMock();

const repository = { owner: "Codertocat", repo: "Hello-World" };

describe("meetsPermission", () => {
  const cases: [Access, Permission, boolean][] = [
    ["admin", "maintain", true],
    ["maintain", "write", true],
    ["write", "write", true],
    ["triage", "write", false],
    ["read", "triage", false],
    ["triage", "read", true],
    ["none", "read", false],
  ];

  it.each(cases)("%s against required %s is %s", (actual, required, expected) => {
    expect(meetsPermission(actual, required)).toBe(expected);
  });
});

describe("collaboratorAccess", () => {
  it("tells maintain from write by role_name", async () => {
    const scope = mockPermission(githubApi(), "mona", "maintain");

    expect(await collaboratorAccess(testClient(), repository, "mona")).toBe("maintain");
    expect(scope.isDone()).toBe(true);
  });

  it("tells triage from read by role_name", async () => {
    mockPermission(githubApi(), "mona", "triage");

    expect(await collaboratorAccess(testClient(), repository, "mona")).toBe("triage");
  });

  it("falls back to the permission field for a custom role", async () => {
    githubApi()
      .get("/repos/Codertocat/Hello-World/collaborators/mona/permission")
      .reply(200, { permission: "write", role_name: "release-manager" });

    expect(await collaboratorAccess(testClient(), repository, "mona")).toBe("write");
  });

  it("reads 404 (not a collaborator) as no access", async () => {
    mockPermission(githubApi(), "stranger", "none");

    expect(await collaboratorAccess(testClient(), repository, "stranger")).toBe("none");
  });

  it("lets other failures through rather than guessing", async () => {
    githubApi()
      .get("/repos/Codertocat/Hello-World/collaborators/mona/permission")
      .reply(401, { message: "Bad credentials" });

    await expect(collaboratorAccess(testClient(), repository, "mona")).rejects.toThrow(
      "Bad credentials",
    );
  });
});

describe("hasPermission", () => {
  it("checks the event's sender against the required role", async () => {
    mockPermission(githubApi(), "mona", "triage");
    const context = {
      octokit: testClient(),
      repo: () => repository,
      payload: { sender: { login: "mona" } },
    };

    expect(await hasPermission(context, "write")).toBe(false);
  });
});
