// What a fetch failure was, read from the error's cause chain (undici nests the system error).

/** The system error code (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET…) behind a failed fetch. */
export function networkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    if (current instanceof AggregateError) {
      const inner = current.errors.find((item: unknown) => networkErrorCode(item) !== undefined);
      if (inner !== undefined) return networkErrorCode(inner);
    }
    current = current.cause;
  }
  return undefined;
}

/** A short reason for logs and error sentences, e.g. "connection refused". */
export function networkFailureReason(error: unknown): string {
  const code = networkErrorCode(error);
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host name not found";
    case "ECONNRESET":
    case "UND_ERR_SOCKET":
      return "connection broke off";
    case "ETIMEDOUT":
    case "UND_ERR_CONNECT_TIMEOUT":
      return "connection timed out";
    default:
      return code ?? (error instanceof Error ? error.message : String(error));
  }
}
