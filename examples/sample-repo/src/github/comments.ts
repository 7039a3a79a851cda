// Every comment the greeter writes goes through here.
import type { Context } from "probot";

export async function postComment(context: Context<"issues">, body: string): Promise<void> {
  await context.octokit.rest.issues.createComment(context.issue({ body }));
}
