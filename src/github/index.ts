// Everything that talks to GitHub.
export type { GitHubClient, IssueComment, IssueRef, RepoRef } from "./client.js";
export { hasMarker, parseMarkers, renderMarker, withMarker, type Marker } from "./markers.js";
export { readHiddenState, renderHiddenState } from "../comments/hidden-state.js";
export { findMarkedComment, upsertMarkedComment, type UpsertedComment } from "./marked-comment.js";
export {
  STATUS_EDIT_INTERVAL_MS,
  StatusComment,
  type StatusCommentOptions,
} from "./status-comment.js";
export {
  collaboratorAccess,
  hasPermission,
  meetsPermission,
  type Access,
  type PermissionContext,
} from "./permission.js";
export {
  COMMAND_NAMES,
  parseCommand,
  type CommandName,
  type ParsedCommand,
  type UnknownCommand,
} from "./command.js";
export {
  createRestOctokit,
  type RestOctokit,
  type RestOctokitLog,
  type RestOctokitOptions,
} from "./rest-octokit.js";
export { createBotLogin, type AppAuth } from "./app-identity.js";
