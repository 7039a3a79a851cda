// The HTTP status of a failed GitHub call (Octokit's RequestError carries it), for the few
// answers Symphony handles itself: 404 gone, 409 empty repository, 422 refused.

/** The status GitHub answered with, or undefined for an error that is not an HTTP answer. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("status" in error)) return undefined;
  return typeof error.status === "number" ? error.status : undefined;
}

export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404;
}
