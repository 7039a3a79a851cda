// The error a repository's broken `.github/symphony.yml` produces, worded for its maintainers.
import type { z } from "zod";

export const CONFIG_PATH = ".github/symphony.yml";

/** One thing wrong with the file: where (a dotted key path, "" for the file) and what was expected. */
export interface ConfigProblem {
  path: string;
  expected: string;
}

export class InvalidConfigError extends Error {
  override name = "InvalidConfigError";

  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `${CONFIG_PATH} is invalid: ${problems.map(describeProblem).join("; ")}. ` +
        `Fix the file on the default branch (schema: docs/schema.json) and run the command again.`,
    );
  }

  /** The file is not YAML (or not a mapping of keys) at all. */
  static unreadable(reason: string): InvalidConfigError {
    return new InvalidConfigError([{ path: "", expected: `a YAML mapping of keys (${reason})` }]);
  }

  static fromZod(error: z.ZodError): InvalidConfigError {
    return new InvalidConfigError(error.issues.flatMap(problemsOf));
  }
}

export function describeProblem(problem: ConfigProblem): string {
  return problem.path === "" ? problem.expected : `\`${problem.path}\`: ${problem.expected}`;
}

function problemsOf(issue: z.core.$ZodIssue): ConfigProblem[] {
  const path = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    // One problem per unknown key, so a typo is named where it is.
    return issue.keys.map((key) => ({
      path: path === "" ? key : `${path}.${key}`,
      expected: "unknown key (check the spelling against docs/configuration.md)",
    }));
  }
  return [{ path, expected: issue.message.replace(/^Invalid (input|option): /, "") }];
}
