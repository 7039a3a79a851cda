// The one codec of Symphony's hidden state: JSON inside an HTML comment at the end of a comment
// Symphony wrote, so GitHub is the store and no database is needed.
import type { z } from "zod";

const KIND = /^[a-z][a-z0-9-]*$/;
const END = "\n-->";

/**
 * `<!-- symphony-state:<kind>\n<json>\n-->`, invisible in the rendered comment. The JSON stays on
 * one line and holds no `--`, `<`, `>` or `&`: those can only occur inside JSON strings, where
 * their `\u` escapes mean the same, so nothing inside can end the comment or open another.
 */
export function renderHiddenState(kind: string, value: unknown): string {
  if (!KIND.test(kind))
    throw new TypeError(`state kind ${JSON.stringify(kind)} must match ${KIND}`);
  const json = JSON.stringify(value)
    .replaceAll("--", "-\\u002d")
    .replaceAll("<", "\\u003c")
    .replaceAll(">", "\\u003e")
    .replaceAll("&", "\\u0026")
    .replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
  return `<!-- symphony-state:${kind}\n${json}${END}`;
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

/** Where the block of that kind that the options name stands in a body with `\n` line endings. */
function findBlock(
  body: string,
  kind: string,
  options: ReadOptions,
): { from: number; to: number; json: string } | undefined {
  const start = `<!-- symphony-state:${kind}\n`;
  const from = body.lastIndexOf(start);
  if (from < 0) return undefined;
  const jsonEnd = body.indexOf(END, from + start.length);
  if (jsonEnd < 0) return undefined;
  const to = jsonEnd + END.length;
  if ((options.where ?? "end") === "end" && body.slice(to).trim() !== "") return undefined;
  return { from, to, json: body.slice(from + start.length, jsonEnd) };
}

/** GitHub's editor saves `\r\n`: the block is found whatever line endings the body has now. */
const withNewlines = (body: string): string => body.replace(/\r\n?/g, "\n");

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
  const block = findBlock(withNewlines(body), kind, options);
  if (block === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(block.json);
  } catch {
    return undefined;
  }
  const result = schema.safeParse(parsed);
  return result.success ? result.data : undefined;
}

/**
 * The body with the last block of that kind replaced by `value`, the rest as it was but with
 * `\n` line endings; `undefined` when the body holds no such block (the caller decides where a
 * first one goes).
 */
export function replaceHiddenState(body: string, kind: string, value: unknown): string | undefined {
  const normalised = withNewlines(body);
  const block = findBlock(normalised, kind, { where: "last" });
  if (block === undefined) return undefined;
  const rendered = renderHiddenState(kind, value);
  return normalised.slice(0, block.from) + rendered + normalised.slice(block.to);
}
