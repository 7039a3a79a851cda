import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { renderSchemaFile, SCHEMA_FILE } from "../../scripts/generate-config-schema.js";
import { defaultRepoConfig, parseRepoConfig } from "../../src/config/index.js";

describe("the repository config schema", () => {
  it("gives every key a default when the file is missing", () => {
    expect(defaultRepoConfig()).toEqual({
      label: "symphony",
      implement_label: "symphony:implement",
      skip_label: "symphony:skip",
      permission: "write",
      models: {},
      language: "English",
      ignore: [],
      review: {
        enabled: true,
        drafts: false,
        bots: false,
        max_inline_comments: 15,
        max_files: 300,
        max_chunks: 120,
        max_diff_tokens: 8_000,
        context_lines: 3,
        design_remarks: true,
        diagram: true,
        ignore: [],
        auto: ["opened", "reopened", "ready_for_review", "synchronize"],
      },
      implement: {
        whole_file_max_lines: 300,
        max_files: 20,
        max_changed_lines: 1500,
        allow_workflows: false,
        max_file_bytes: 100_000,
      },
      refactor: { every: "off", window_days: 90, top: 5, include_tests: false },
      runner: "app",
    });
  });

  it("keeps the defaults of a section's other keys when the file sets one of them", () => {
    const config = parseRepoConfig({ review: { drafts: true } });

    expect(config.review.drafts).toBe(true);
    expect(config.review.max_inline_comments).toBe(15);
  });

  it("replaces a default list instead of appending to it", () => {
    expect(parseRepoConfig({ review: { auto: ["opened"] } }).review.auto).toEqual(["opened"]);
  });

  it("accepts a model per agent", () => {
    const config = parseRepoConfig({ models: { planner: "qwen2.5-coder:32b" } });

    expect(config.models).toEqual({ planner: "qwen2.5-coder:32b" });
  });

  it("treats an empty file as all defaults", () => {
    expect(parseRepoConfig(null)).toEqual(defaultRepoConfig());
  });

  it("is published in docs/schema.json exactly as generated (run `npx tsx scripts/generate-config-schema.ts`)", async () => {
    expect(await readFile(SCHEMA_FILE, "utf8")).toBe(await renderSchemaFile());
  });
});
