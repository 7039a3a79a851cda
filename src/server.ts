// The production server (`node lib/server.js`, the Docker image's command): Probot's own server
// and environment handling, with Symphony's Octokit (rate limits retried after GitHub's delay).
import { run } from "probot";
import { SymphonyProbotOctokit } from "./github/probot-octokit.js";
import symphony from "./index.js";

await run(symphony, { Octokit: SymphonyProbotOctokit });
