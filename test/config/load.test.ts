import { describe, expect, it } from "vitest";
import { InvalidConfigError, loadRepoConfig, type ConfigSource } from "../../src/config/index.js";

/** A stand-in for Probot's context.config that returns a parsed file (null: no file). */
function source(file: Record<string, unknown> | null): ConfigSource & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    config<T>(fileName: string) {
      asked.push(fileName);
      return Promise.resolve(file as T | null);
    },
  };
}

async function problemsOf(file: Record<string, unknown>) {
  const error = await loadRepoConfig(source(file)).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(InvalidConfigError);
  return (error as InvalidConfigError).problems;
}

describe("loadRepoConfig", () => {
  it("reads symphony.yml from the repository's .github folder", async () => {
    const file = source({ label: "plan" });

    const config = await loadRepoConfig(file);

    expect(file.asked).toEqual(["symphony.yml"]);
    expect(config.label).toBe("plan");
  });

  it("uses the defaults when there is no file", async () => {
    expect((await loadRepoConfig(source(null))).permission).toBe("write");
  });

  it("names a nested key and the type it expected", async () => {
    expect(await problemsOf({ implement: { max_files: "many" } })).toEqual([
      { path: "implement.max_files", expected: "expected number, received string" },
    ]);
  });

  it("names the allowed values of a choice", async () => {
    expect(await problemsOf({ refactor: { every: "hourly" } })).toEqual([
      { path: "refactor.every", expected: 'expected one of "off"|"day"|"week"|"month"' },
    ]);
  });

  it("names each unknown key where it is", async () => {
    expect(await problemsOf({ review: { draft: true }, lable: "x" })).toEqual([
      { path: "review.draft", expected: expect.stringContaining("unknown key") },
      { path: "lable", expected: expect.stringContaining("unknown key") },
    ]);
  });

  it("says in its message which key is wrong and what to do", async () => {
    const error = await loadRepoConfig(source({ permission: "owner" })).catch(
      (caught: unknown) => caught,
    );

    expect((error as Error).message).toBe(
      '.github/symphony.yml is invalid: `permission`: expected one of "read"|"triage"|"write"|"maintain"|"admin". ' +
        "Fix the file on the default branch (schema: docs/schema.json) and run the command again.",
    );
  });

  it("turns a file that is not YAML into an InvalidConfigError", async () => {
    const broken: ConfigSource = {
      config: () =>
        Promise.reject(
          new Error(
            "[@probot/octokit-plugin-config] https://api.github.com/repos/o/r/contents/.github%2Fsymphony.yml " +
              "could not be parsed from https://api.github.com/x (invalid YAML)",
          ),
        ),
    };

    await expect(loadRepoConfig(broken)).rejects.toThrow(InvalidConfigError);
  });

  it("lets GitHub failures through unchanged", async () => {
    const down: ConfigSource = { config: () => Promise.reject(new Error("502 Bad Gateway")) };

    await expect(loadRepoConfig(down)).rejects.toThrow("502 Bad Gateway");
  });
});
