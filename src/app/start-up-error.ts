// A start-up stopped by a bad environment value, told as one sentence that says what to fix
// instead of a stack trace: the operator reads it in the terminal, the container log or the job.
import { UsageCapsError } from "./usage-limits.js";
import { ClusterSettingsError } from "./cluster/redis-settings.js";
import { RuntimeSettingsError } from "../runner/errors.js";

/** A variable of the operator's environment with a value Symphony cannot use. */
export class EnvironmentValueError extends Error {
  override name = "EnvironmentValueError";
}

/** What is wrong, when `error` is a bad environment value; undefined for anything else (a bug). */
export function environmentProblem(error: unknown): string | undefined {
  const known =
    error instanceof EnvironmentValueError ||
    error instanceof RuntimeSettingsError ||
    error instanceof ClusterSettingsError ||
    error instanceof UsageCapsError;
  return known ? error.message.replace(/[.\s]+$/, "") : undefined;
}

/** The one sentence: the problem, then where to fix it. */
export function startUpSentence(problem: string, where: "server" | "action"): string {
  const fix =
    where === "server"
      ? "fix it in .env or the server's environment, then start Symphony again"
      : "fix it in the workflow's env (or the runner's environment), then run the job again";
  return `Symphony did not start: ${problem}; ${fix}.`;
}
