import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const manifest = async () =>
  parse(await readFile(new URL("../../app.yml", import.meta.url), "utf8")) as Record<
    string,
    unknown
  >;

describe("app.yml", () => {
  it("asks for write access to issues, pull requests, contents and checks, and read access to metadata", async () => {
    expect((await manifest()).default_permissions).toEqual({
      issues: "write",
      pull_requests: "write",
      contents: "write",
      checks: "write",
      metadata: "read",
    });
  });

  it("subscribes to the events Symphony handles", async () => {
    expect((await manifest()).default_events).toEqual([
      "issues",
      "issue_comment",
      "pull_request",
      "pull_request_review",
      "pull_request_review_comment",
      "installation",
    ]);
  });

  it("leaves the webhook URL to Probot's setup, which would lose it to a hook_attributes key", async () => {
    const file = await manifest();

    expect(file).not.toHaveProperty("hook_attributes");
    expect(file.url).toEqual(expect.any(String));
  });
});
