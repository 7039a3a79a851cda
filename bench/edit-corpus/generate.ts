// Regenerates cases/ from patches.yml and seeds/: `npx tsx bench/edit-corpus/generate.ts`.
// Each hand-written patch is perturbed the way models err; expected results come from applying the
// clean patch by plain string replacement, never from the code under test.
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { format } from "prettier";
import { parse } from "yaml";
import { z } from "zod";
import { editCaseSchema, type EditCase } from "./case-schema.js";

const here = dirname(fileURLToPath(import.meta.url));
const MAX_CORPUS_BYTES = 1_000_000;

const blockSchema = z.object({ search: z.string(), replace: z.string() });
type Block = z.infer<typeof blockSchema>;

const specSchema = z.object({
  seeds: z.record(
    z.string(),
    z.object({
      path: z.string(),
      language: z.string(),
      fence: z.string(),
      comment: z.string(),
      indent: z.union([z.literal(2), z.literal(4), z.literal("tab")]),
    }),
  ),
  patches: z.array(
    z.object({
      id: z.string(),
      seed: z.string(),
      description: z.string(),
      blocks: z.array(blockSchema).min(1),
      perturbations: z.array(z.string()),
      stale: z.object({ from: z.string(), to: z.string() }).optional(),
      ambiguous: blockSchema.optional(),
    }),
  ),
  wrong_files: z.array(z.object({ patch: z.string(), into: z.string() })),
  wrong_paths: z.array(z.object({ patch: z.string(), path: z.string() })),
  whole_files: z.array(
    z.object({
      patch: z.string(),
      kind: z.enum(["exact", "fenced", "crlf", "no_trailing_newline", "elided", "shrunk"]),
    }),
  ),
});
type Spec = z.infer<typeof specSchema>;
type Patch = Spec["patches"][number];
type Seed = Spec["seeds"][string];

const spec = specSchema.parse(parse(await readFile(join(here, "patches.yml"), "utf8")));
const seedTexts = new Map<string, string>();
for (const name of Object.keys(spec.seeds)) {
  seedTexts.set(name, await readFile(join(here, "seeds", name), "utf8"));
}

function seedOf(name: string): { seed: Seed; text: string } {
  const seed = spec.seeds[name];
  const text = seedTexts.get(name);
  if (!seed || text === undefined) throw new Error(`unknown seed ${name}`);
  return { seed, text };
}

function patchById(id: string): Patch {
  const patch = spec.patches.find((candidate) => candidate.id === id);
  if (!patch) throw new Error(`unknown patch ${id}`);
  return patch;
}

function occurrences(text: string, search: string): number {
  let count = 0;
  for (let at = text.indexOf(search); at !== -1; at = text.indexOf(search, at + 1)) count += 1;
  return count;
}

/** The clean patch applied as a person would: each search text must occur exactly once. */
function applyExact(original: string, blocks: readonly Block[], id: string): string {
  let content = original;
  for (const block of blocks) {
    const count = occurrences(content, block.search);
    if (count !== 1)
      throw new Error(`${id}: search occurs ${count} times: ${JSON.stringify(block.search)}`);
    const at = content.indexOf(block.search);
    content = content.slice(0, at) + block.replace + content.slice(at + block.search.length);
  }
  return content;
}

const toCrlf = (text: string) => text.replace(/\r?\n/g, "\r\n");
const mapLines = (text: string, change: (line: string) => string) =>
  text
    .split("\n")
    .map((line, i, all) => (i === all.length - 1 && line === "" ? line : change(line)))
    .join("\n");
const mapBlocks = (blocks: readonly Block[], change: (text: string) => string) =>
  blocks.map((block) => ({ search: change(block.search), replace: change(block.replace) }));

function minIndent(text: string): number {
  const widths = text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => /^[ \t]*/.exec(line)![0].length);
  return Math.min(...widths);
}

function scaleIndent(line: string, factor: number): string {
  const spaces = /^ */.exec(line)![0].length;
  if (factor < 1 && spaces % 2 !== 0) throw new Error(`odd indentation cannot be halved: ${line}`);
  return " ".repeat(spaces * factor) + line.slice(spaces);
}

interface Variant {
  original: string;
  blocks: Block[];
  result: string;
  note: string;
}

/** One way models err, applied to a variant; several chain as `a+b`. */
function perturb(name: string, variant: Variant, seed: Seed, id: string): Variant {
  const { original, blocks } = variant;
  const withBlocks = (next: Block[], note: string): Variant => ({ ...variant, blocks: next, note });
  switch (name) {
    case "exact":
      return { ...variant, note: "sent exactly as the file has it" };
    case "partial_line":
      return { ...variant, note: "the search text is part of a line, unique in the file" };
    case "duplicate_with_context": {
      const repeated = blocks[0]!.search
        .split("\n")
        .some((line) => line.trim() !== "" && occurrences(original, line) > 1);
      if (!repeated) throw new Error(`${id}: duplicate_with_context needs a repeated line`);
      return {
        ...variant,
        note: "the snippet occurs twice; surrounding lines make the search unique",
      };
    }
    case "trailing_whitespace":
      return withBlocks(
        blocks.map((block) => ({
          ...block,
          search: mapLines(block.search, (line) => `${line}  `),
        })),
        "the model added trailing spaces to every search line",
      );
    case "dedent": {
      if (blocks.every((block) => minIndent(block.search) === 0)) {
        throw new Error(`${id}: nothing to dedent`);
      }
      return withBlocks(
        blocks.map((block) => {
          const width = minIndent(block.search);
          const cut = (line: string) =>
            line.slice(Math.min(width, /^[ \t]*/.exec(line)![0].length));
          return { search: mapLines(block.search, cut), replace: mapLines(block.replace, cut) };
        }),
        "the model dropped the block's outer indentation",
      );
    }
    case "indent_scale": {
      if (seed.indent === "tab") throw new Error(`${id}: indent_scale needs a space-indented file`);
      const factor = seed.indent === 2 ? 2 : 0.5;
      return withBlocks(
        mapBlocks(blocks, (text) => mapLines(text, (line) => scaleIndent(line, factor))),
        `the model indents by ${seed.indent * factor} spaces where the file uses ${seed.indent}`,
      );
    }
    case "spaces_for_tabs":
      if (seed.indent !== "tab")
        throw new Error(`${id}: spaces_for_tabs needs a tab-indented file`);
      return withBlocks(
        mapBlocks(blocks, (text) =>
          mapLines(text, (line) => line.replace(/^\t+/, (tabs) => "    ".repeat(tabs.length))),
        ),
        "the model wrote four spaces for every tab",
      );
    case "crlf":
      return {
        ...variant,
        original: toCrlf(original),
        result: toCrlf(variant.result),
        note: "the file has CRLF line endings, the model sent LF",
      };
    case "no_trailing_newline":
      return withBlocks(
        mapBlocks(blocks, (text) => text.replace(/\n$/, "")),
        "the model left off the final newline of each text",
      );
    case "extra_blank_line":
      return withBlocks(
        mapBlocks(blocks, (text) => `${text}\n`),
        "the model added a blank line after each text",
      );
    case "fenced":
      return withBlocks(
        mapBlocks(
          blocks,
          (text) => `\`\`\`${seed.fence}\n${text.endsWith("\n") ? text : `${text}\n`}\`\`\``,
        ),
        "the model wrapped each text in a Markdown fence",
      );
    default:
      throw new Error(`${id}: unknown perturbation ${name}`);
  }
}

function searchReplaceCase(
  id: string,
  perturbation: EditCase["perturbation"],
  description: string,
  seedName: string,
  original: string,
  blocks: Block[],
  expect: EditCase["expect"],
  replyPath?: string,
): EditCase {
  const { seed } = seedOf(seedName);
  return {
    id,
    description,
    language: seed.language,
    perturbation,
    seed: `seeds/${seedName}`,
    path: seed.path,
    original,
    reply: { format: "search_replace", reply: { path: replyPath ?? seed.path, blocks } },
    expect,
  };
}

function patchCases(patch: Patch): EditCase[] {
  const { seed, text: original } = seedOf(patch.seed);
  const clean = applyExact(original, patch.blocks, patch.id);
  const cases: EditCase[] = [];
  for (const name of patch.perturbations) {
    const steps = name.split("+");
    const variant = steps.reduce<Variant>(
      (current, step) => {
        const next = perturb(step, current, seed, patch.id);
        return { ...next, note: current.note === "" ? next.note : `${current.note}; ${next.note}` };
      },
      { original, blocks: patch.blocks, result: clean, note: "" },
    );
    cases.push(
      searchReplaceCase(
        `${patch.id}--${name.replaceAll("_", "-").replaceAll("+", "-and-")}`,
        (steps.length > 1 ? "combined" : name) as EditCase["perturbation"],
        `${patch.description} (${variant.note})`,
        patch.seed,
        variant.original,
        variant.blocks,
        { outcome: "apply", result: variant.result },
      ),
    );
  }
  if (patch.stale) {
    const [first, ...rest] = patch.blocks;
    const search = first!.search.replace(patch.stale.from, patch.stale.to);
    if (search === first!.search || original.includes(search))
      throw new Error(`${patch.id}: stale text still matches`);
    cases.push(
      searchReplaceCase(
        `${patch.id}--stale-context`,
        "stale_context",
        `${patch.description} (the search remembers ${JSON.stringify(patch.stale.to)} where the file says ${JSON.stringify(patch.stale.from)})`,
        patch.seed,
        original,
        [{ ...first!, search }, ...rest],
        { outcome: "refuse", why: "absent" },
      ),
    );
  }
  if (patch.ambiguous) {
    if (occurrences(original, patch.ambiguous.search) < 2)
      throw new Error(`${patch.id}: ambiguous snippet is unique`);
    cases.push(
      searchReplaceCase(
        `${patch.id}--ambiguous-snippet`,
        "ambiguous_snippet",
        `${patch.description} (the search text occurs ${occurrences(original, patch.ambiguous.search)} times)`,
        patch.seed,
        original,
        [patch.ambiguous],
        { outcome: "refuse", why: "ambiguous" },
      ),
    );
  }
  return cases;
}

function wrongFileCase({ patch: id, into }: Spec["wrong_files"][number]): EditCase {
  const patch = patchById(id);
  const { text } = seedOf(into);
  if (patch.blocks.some((block) => text.includes(block.search)))
    throw new Error(`${id}: found in ${into}`);
  return searchReplaceCase(
    `${id}--wrong-file-${into.replace(/\.txt$/, "").replaceAll(".", "-")}`,
    "wrong_file",
    `${patch.description} (the blocks were meant for ${seedOf(patch.seed).seed.path})`,
    into,
    text,
    patch.blocks,
    { outcome: "refuse", why: "absent" },
  );
}

function wrongPathCase({ patch: id, path }: Spec["wrong_paths"][number]): EditCase {
  const patch = patchById(id);
  const { text } = seedOf(patch.seed);
  return searchReplaceCase(
    `${id}--wrong-path`,
    "wrong_path",
    `${patch.description} (the reply names ${path})`,
    patch.seed,
    text,
    patch.blocks,
    { outcome: "refuse", why: "wrong_path" },
    path,
  );
}

function wholeFileCase({ patch: id, kind }: Spec["whole_files"][number]): EditCase {
  const patch = patchById(id);
  const { seed, text: original } = seedOf(patch.seed);
  const clean = applyExact(original, patch.blocks, id);
  const base = {
    id: `${id}--whole-${kind.replaceAll("_", "-")}`,
    language: seed.language,
    seed: `seeds/${patch.seed}`,
    path: seed.path,
  };
  const reply = (content: string) => ({
    format: "whole_file" as const,
    reply: { path: seed.path, content },
  });
  const lines = clean.split("\n");
  const changed = changedLines(original, clean);
  switch (kind) {
    case "exact":
      return {
        ...base,
        perturbation: "exact",
        description: `${patch.description} (the whole file, complete)`,
        original,
        reply: reply(clean),
        expect: { outcome: "apply", result: clean },
      };
    case "fenced":
      return {
        ...base,
        perturbation: "fenced",
        description: `${patch.description} (the whole file in a Markdown fence)`,
        original,
        reply: reply(`\`\`\`${seed.fence}\n${clean}\`\`\``),
        expect: { outcome: "apply", result: clean },
      };
    case "crlf":
      return {
        ...base,
        perturbation: "crlf",
        description: `${patch.description} (the whole file with LF for a CRLF file)`,
        original: toCrlf(original),
        reply: reply(clean),
        expect: { outcome: "apply", result: toCrlf(clean) },
      };
    case "no_trailing_newline":
      return {
        ...base,
        perturbation: "no_trailing_newline",
        description: `${patch.description} (the whole file without its final newline)`,
        original,
        reply: reply(clean.replace(/\n$/, "")),
        expect: { outcome: "apply", result: clean },
      };
    case "elided": {
      const marker = elisionComment(seed.comment);
      const content = [...lines.slice(0, changed.last + 3), marker, ""].join("\n");
      return {
        ...base,
        perturbation: "elided",
        description: `${patch.description} (the whole file, cut short with ${JSON.stringify(marker)})`,
        original,
        reply: reply(content),
        expect: { outcome: "refuse", why: "elided" },
      };
    }
    case "shrunk": {
      const content = [...lines.slice(Math.max(0, changed.first - 3), changed.last + 3), ""].join(
        "\n",
      );
      const nonBlank = (text: string) =>
        text.split("\n").filter((line) => line.trim() !== "").length;
      if (nonBlank(content) * 2 >= nonBlank(original))
        throw new Error(`${id}: shrunk reply is not short enough`);
      return {
        ...base,
        perturbation: "shrunk",
        description: `${patch.description} (only the changed region came back, silently)`,
        original,
        reply: reply(content),
        expect: { outcome: "refuse", why: "elided" },
      };
    }
  }
}

function changedLines(before: string, after: string): { first: number; last: number } {
  const a = before.split("\n");
  const b = after.split("\n");
  let first = 0;
  while (first < a.length && a[first] === b[first]) first += 1;
  let tail = 0;
  while (tail < a.length - first && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail += 1;
  return { first, last: b.length - tail };
}

function elisionComment(comment: string): string {
  if (comment === "<!--") return "<!-- ... rest of the file unchanged -->";
  if (comment === "/*") return "/* ... rest of the file unchanged */";
  return `${comment} ... rest of the file unchanged`;
}

const cases = [
  ...spec.patches.flatMap(patchCases),
  ...spec.wrong_files.map(wrongFileCase),
  ...spec.wrong_paths.map(wrongPathCase),
  ...spec.whole_files.map(wholeFileCase),
];
const ids = new Set(cases.map((edit) => edit.id));
if (ids.size !== cases.length) throw new Error("case ids are not unique");

const dir = join(here, "cases");
await rm(dir, { recursive: true, force: true });
await mkdir(dir, { recursive: true });
let bytes = 0;
for (const edit of cases) {
  const text = await format(JSON.stringify(editCaseSchema.parse(edit)), {
    parser: "json",
    printWidth: 100,
  });
  bytes += Buffer.byteLength(text);
  await writeFile(join(dir, `${edit.id}.json`), text);
}
const written = (await readdir(dir)).length;
console.log(`${written} cases, ${Math.round(bytes / 1024)} KiB`);
if (bytes > MAX_CORPUS_BYTES)
  throw new Error(`the corpus is ${bytes} bytes, over ${MAX_CORPUS_BYTES}`);
