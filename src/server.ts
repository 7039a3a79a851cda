// The production server (`node lib/server.js`, the Docker image's command): Probot's own server
// and environment handling, with Symphony's Octokit (rate limits retried after GitHub's delay).
// A bad environment value stops it with one sentence saying what to fix, never a stack trace.
import { run } from "probot";
import { checkAppCredentials, environmentWithDotEnv } from "./app/app-credentials.js";
import { environmentProblem, startUpSentence } from "./app/start-up-error.js";
import { SymphonyProbotOctokit } from "./github/probot-octokit.js";
import symphony from "./index.js";

try {
  checkAppCredentials(environmentWithDotEnv(process.env));
  // Every other variable is read while Probot loads the app, before its server listens.
  await run(symphony, { Octokit: SymphonyProbotOctokit });
} catch (error) {
  const problem = environmentProblem(error);
  if (problem === undefined) throw error;
  process.stderr.write(`${startUpSentence(problem, "server")}\n`);
  process.exit(1);
}
