// The app's own bot login, by which it recognises its comments (and ignores its own events).
import type { ProbotOctokit } from "probot";
import type { GitHubClient } from "./client.js";

/** Anything that can hand out an app-authenticated client; Probot's `app.auth()` fits. */
export interface AppAuth {
  auth(): Promise<Pick<GitHubClient, "rest">>;
}

/** `<slug>[bot]`, looked up once with `GET /app` and remembered (a failed lookup is retried). */
export function createBotLogin(app: AppAuth): () => Promise<string> {
  let login: Promise<string> | undefined;
  return () => {
    login ??= lookUp(app).catch((error: unknown) => {
      login = undefined;
      throw error;
    });
    return login;
  };
}

async function lookUp(app: AppAuth): Promise<string> {
  const client = await app.auth();
  const { data } = await client.rest.apps.getAuthenticated();
  if (data?.slug === undefined) {
    throw new Error("GitHub did not return the app's slug; check APP_ID and PRIVATE_KEY");
  }
  return `${data.slug}[bot]`;
}

/** The login a token acts as, as GraphQL's viewer names it (an Action's token has no `GET /app`). */
export async function tokenLogin(client: Pick<ProbotOctokit, "graphql">): Promise<string> {
  const { viewer } = await client.graphql<{ viewer: { login: string } }>(
    "query { viewer { login } }",
  );
  return viewer.login;
}
