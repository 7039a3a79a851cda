// issues.opened: thanks the author for the issue.
import type { Context } from "probot";
import { loadGreeterConfig } from "../config.js";
import { postComment } from "../github/comments.js";

export async function onIssueOpened(context: Context<"issues.opened">): Promise<void> {
  const config = await loadGreeterConfig(context);
  await postComment(context, config.thanks.replace("{author}", context.payload.issue.user.login));
}
