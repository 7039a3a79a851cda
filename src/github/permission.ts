// Who may set Symphony to work: the sender's role on the repository against the configured one.
import { PERMISSIONS, type Permission } from "../config/schema.js";
import type { GitHubClient, RepoRef } from "./client.js";
import { statusOf } from "./http-status.js";

/** A role, or "none" for someone with no access (not a collaborator at all). */
export type Access = Permission | "none";

/** What a webhook context offers; Probot's Context fits. */
export interface PermissionContext {
  octokit: GitHubClient;
  repo(): RepoRef;
  payload: { sender?: { login: string } | null };
}

/** Whether `actual` is at least `required` in admin > maintain > write > triage > read. */
export function meetsPermission(actual: Access, required: Permission): boolean {
  return actual !== "none" && PERMISSIONS.indexOf(actual) >= PERMISSIONS.indexOf(required);
}

/**
 * The user's role on the repository. `role_name` tells triage and maintain apart (the older
 * `permission` field folds them into read and write); custom roles fall back to `permission`.
 */
export async function collaboratorAccess(
  client: GitHubClient,
  repository: RepoRef,
  username: string,
): Promise<Access> {
  try {
    const { data } = await client.rest.repos.getCollaboratorPermissionLevel({
      ...repository,
      username,
    });
    return asAccess(data.role_name) ?? asAccess(data.permission) ?? "none";
  } catch (error) {
    if (statusOf(error) === 404) return "none";
    throw error;
  }
}

/** Whether the event's sender (or `username`) has at least the required role. */
export async function hasPermission(
  context: PermissionContext,
  required: Permission,
  username: string | undefined = context.payload.sender?.login,
): Promise<boolean> {
  if (username === undefined) return false;
  return meetsPermission(
    await collaboratorAccess(context.octokit, context.repo(), username),
    required,
  );
}

/**
 * The sender's role, asked for now and awaited later: a webhook handler looks it up while the
 * settings load, since both are GitHub round trips the delivery waits on. A failure surfaces
 * where the role is awaited, never as an unhandled rejection.
 */
export function lookUpSenderAccess(context: PermissionContext): () => Promise<Access> {
  const username = context.payload.sender?.login;
  if (username === undefined) return () => Promise.resolve("none");
  const pending = collaboratorAccess(context.octokit, context.repo(), username).then(
    (access) => ({ access }),
    (error: unknown) => ({ error }),
  );
  return async () => {
    const outcome = await pending;
    if ("error" in outcome) throw outcome.error;
    return outcome.access;
  };
}

function asAccess(value: string | undefined | null): Access | undefined {
  if (value === "none") return "none";
  return PERMISSIONS.find((permission) => permission === value);
}
