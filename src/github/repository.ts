// The repository, its installations as GitHub describes them, and where its default
// branch points.
import type { GitHubClient, RepoRef } from "./client.js";
import { isNotFound } from "./http-status.js";

export async function fetchRepository(client: GitHubClient, repo: RepoRef) {
  const { data } = await client.rest.repos.get({ ...repo });
  return data;
}

/** The default branch's head commit; undefined when the repository has no commits. */
export async function defaultBranchHead(
  client: GitHubClient,
  repo: RepoRef,
): Promise<string | undefined> {
  const { default_branch: branch } = await fetchRepository(client, repo);
  try {
    const { data } = await client.rest.repos.getBranch({ ...repo, branch });
    return data.commit.sha;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

type AppClient = Pick<GitHubClient, "rest" | "paginate">;

/** Every installation of the app (with an app-authenticated client). */
export async function* appInstallations(client: AppClient) {
  const pages = client.paginate.iterator(client.rest.apps.listInstallations, { per_page: 100 });
  for await (const page of pages) yield* page.data;
}

/** Every repository an installation may reach (with that installation's client). */
export async function* installationRepositories(client: AppClient) {
  const pages = client.paginate.iterator(client.rest.apps.listReposAccessibleToInstallation, {
    per_page: 100,
  });
  for await (const page of pages) yield* page.data;
}

/** Creates a `repository_dispatch` event; needs the `contents: write` permission. */
export async function createRepositoryDispatch(
  client: GitHubClient,
  repo: RepoRef,
  eventType: string,
  payload: Record<string, unknown>,
): Promise<void> {
  await client.rest.repos.createDispatchEvent({
    ...repo,
    event_type: eventType,
    client_payload: payload,
  });
}
