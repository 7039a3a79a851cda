// The example workflow must never run a workflow file a fork controls on a self-hosted runner.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const example = parse(readFileSync("docs/examples/symphony.yml", "utf8")) as {
  on: Record<string, unknown>;
  jobs: Record<string, { "runs-on": unknown; if?: string }>;
};

describe("docs/examples/symphony.yml", () => {
  it("takes pull requests through pull_request_target, never pull_request, on self-hosted runners", () => {
    expect(Object.keys(example.on)).not.toContain("pull_request");
    expect(Object.keys(example.on)).toContain("pull_request_target");
    expect(JSON.stringify(example.jobs["symphony"]!["runs-on"])).toContain("self-hosted");
  });

  it("listens to pull_request_review, and runs review events only for this repository's pull requests", () => {
    expect(Object.keys(example.on)).toContain("pull_request_review");
    expect(example.jobs["symphony"]!.if).toContain(
      "github.event.pull_request.head.repo.full_name == github.repository",
    );
  });
});
