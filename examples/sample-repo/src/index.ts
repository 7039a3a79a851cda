// The Probot app: registers the handlers of the events the greeter answers.
import type { Probot } from "probot";
import { onIssueOpened } from "./handlers/issues.js";

export default (app: Probot): void => {
  app.on("issues.opened", onIssueOpened);
};
