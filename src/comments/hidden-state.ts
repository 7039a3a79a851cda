// State kept in a comment as JSON inside an HTML comment, so GitHub is the store and no database is needed.
import type { z } from "zod";

const KIND = /^[a-z][a-z0-9-]*$/;

/** `<!-- symphony-state:<kind>\n<json>\n-->`, invisible in the rendered comment. */
export function renderHiddenState(kind: string, value: unknown): string {
  if (!KIND.test(kind))
    throw new TypeError(`state kind ${JSON.stringify(kind)} must match ${KIND}`);
  // "--" can only occur inside JSON strings, where "\u002d" means the same "-" and cannot end the comment.
  const json = JSON.stringify(value).replaceAll("--", "-\\u002d");
  return `<!-- symphony-state:${kind}\n${json}\n-->`;
}

/**
 * The state of that kind in a comment body, validated with its schema; undefined when absent
 * or no longer valid (a hand-edited comment, an older version's shape).
 */
export function readHiddenState<S extends z.ZodType>(
  body: string | null | undefined,
  kind: string,
  schema: S,
): z.infer<S> | undefined {
  const start = `<!-- symphony-state:${kind}\n`;
  const from = body?.indexOf(start) ?? -1;
  if (body == null || from < 0) return undefined;
  const to = body.indexOf("\n-->", from + start.length);
  if (to < 0) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.slice(from + start.length, to));
  } catch {
    return undefined;
  }
  const result = schema.safeParse(parsed);
  return result.success ? result.data : undefined;
}
