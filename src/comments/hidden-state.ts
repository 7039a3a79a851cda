// The one codec of Symphony's hidden state: JSON inside an HTML comment at the end of a comment
// Symphony wrote, so GitHub is the store and no database is needed.
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

export interface ReadOptions {
  /**
   * "end" (the default): the block must end the comment, as every state block Symphony renders
   * last does; "last": the last block of that kind, wherever it stands (a section in the middle
   * of a body Symphony wrote). Never the first block: text above the real one (a quote, an
   * echo in model text) cannot stand in for it.
   */
  where?: "end" | "last";
}

/**
 * The state of that kind in a comment body, validated with its schema; undefined when absent
 * or no longer valid (a hand-edited comment, an older version's shape). Read it only from a
 * comment Symphony wrote (the caller checks the author): anyone can paste a lookalike into their
 * own comment. Symphony's sanitiser escapes every `<` of model text, so model text in Symphony's
 * own comment holds no block either.
 */
export function readHiddenState<S extends z.ZodType>(
  body: string | null | undefined,
  kind: string,
  schema: S,
  options: ReadOptions = {},
): z.infer<S> | undefined {
  if (body == null) return undefined;
  const start = `<!-- symphony-state:${kind}\n`;
  const from = body.lastIndexOf(start);
  if (from < 0) return undefined;
  const to = body.indexOf("\n-->", from + start.length);
  if (to < 0) return undefined;
  if ((options.where ?? "end") === "end" && body.slice(to + "\n-->".length).trim() !== "") {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.slice(from + start.length, to));
  } catch {
    return undefined;
  }
  const result = schema.safeParse(parsed);
  return result.success ? result.data : undefined;
}
