// Every pattern that runs on text Symphony does not control, fed GitHub's largest inputs shaped to
// make a backtracking pattern retry from every position: a comment of 65,536 characters, a file
// of 1 MB. Each must finish; a quadratic pattern takes minutes here and the test times out.
// The times are printed (SYMPHONY_PRINT_TIMES=1) for the record, not asserted: a loaded CI
// machine must not fail a test that is about growth, not speed.
import { afterAll, describe, expect, it } from "vitest";
import { mentions } from "../../src/features/review/thread-reply.js";
import { readHiddenState } from "../../src/comments/hidden-state.js";
import {
  allowLinksFrom,
  defuseUnquotedLinks,
  noteModelOutput,
  runWithLinkScope,
} from "../../src/comments/link-scope.js";
import {
  codeBlock,
  inlineCode,
  inlineProse,
  proseBlock,
  tableCell,
  untrustedLine,
} from "../../src/comments/sanitise.js";
import { parseCommand } from "../../src/github/command.js";
import { parseMarkers } from "../../src/github/markers.js";
import { parseFindingFingerprint } from "../../src/github/finding-marker.js";
import { findSecrets, redactSecrets } from "../../src/comments/secrets.js";
import { stripMarkdownFence } from "../../src/editing/fence.js";
import { parseFileDiff } from "../../src/github/pull-request-patch.js";
import { z } from "zod";

const COMMENT = 65_536;
const FILE = 1_000_000;

const fill = (unit: string, size: number, prefix = "", suffix = ""): string =>
  prefix + unit.repeat(Math.ceil((size - prefix.length - suffix.length) / unit.length)) + suffix;

/** Inputs that make a backtracking pattern retry from every position. */
function shapes(size: number): Record<string, string> {
  return {
    "command, spaces, then a line separator": fill(" ", size, "/symphony", "\u2028"),
    "command, words and spaces, then a line separator": fill(
      "a ",
      size,
      "/symphony plan ",
      "\u2028",
    ),
    "spaces then one character": fill(" ", size, "", "x"),
    "spaces then a newline": fill(" ", size, "a", "\nb"),
    "newlines then one character": fill("\n", size, "", "x"),
    "opening brackets": fill("[", size),
    "brackets and parentheses": fill("[a](", size),
    "link targets": fill("](", size),
    "reference definitions": fill("[a]", size),
    images: fill("![", size),
    "backticks of growing runs": fill("` ``", size),
    "lone backtick then pairs": fill("``a", size, "`"),
    "a URL of dots": fill(".", size, "https://example.com/", "x"),
    "a URL of dots at the end": fill(".", size, "see https://example.com/"),
    "www without a dot": fill("a", size, " www."),
    "many URLs": fill("https://a.b ", size),
    "at signs": fill("@", size),
    mentions: fill("@a ", size),
    "hidden markers": fill("<!-- symphony:a:", size),
    "state openers": fill("<!-- symphony-state:review\n", size),
    HTML: fill("<", size),
    entities: fill("&#64;", size),
    pipes: fill("|", size),
    fences: fill("```\n", size),
    "secret-looking names": fill("token=", size),
    "secret-looking name, long value": fill("a", size, "api_key = "),
    "won't fix": fill("won't", size),
  };
}

const times: string[] = [];

function timed(label: string, work: () => unknown): void {
  const start = performance.now();
  work();
  times.push(`${(performance.now() - start).toFixed(1).padStart(8)} ms  ${label}`);
}

afterAll(() => {
  if (process.env.SYMPHONY_PRINT_TIMES) console.log(times.join("\n"));
});

describe("a comment of 65,536 characters shaped against backtracking", () => {
  for (const [shape, text] of Object.entries(shapes(COMMENT))) {
    it(`${shape}: every reader of comments and model text finishes`, async () => {
      expect(text.length).toBeGreaterThanOrEqual(COMMENT - 10);
      timed(`comment / ${shape} / parseCommand`, () => parseCommand(text));
      timed(`comment / ${shape} / mentions`, () => mentions(text, "symphony[bot]"));
      timed(`comment / ${shape} / parseMarkers`, () => parseMarkers(text));
      timed(`comment / ${shape} / parseFindingFingerprint`, () => parseFindingFingerprint(text));
      timed(`comment / ${shape} / readHiddenState`, () =>
        readHiddenState(text, "review", z.unknown()),
      );
      await runWithLinkScope(async () => {
        allowLinksFrom("https://example.com/ given");
        timed(`comment / ${shape} / noteModelOutput`, () => noteModelOutput(text));
        timed(`comment / ${shape} / defuseUnquotedLinks`, () => defuseUnquotedLinks(text));
        timed(`comment / ${shape} / proseBlock`, () => proseBlock(text));
        timed(`comment / ${shape} / inlineProse`, () => inlineProse(text));
        timed(`comment / ${shape} / tableCell`, () => tableCell(text));
        timed(`comment / ${shape} / untrustedLine`, () => untrustedLine(text, COMMENT));
        timed(`comment / ${shape} / inlineCode`, () => inlineCode(text));
        timed(`comment / ${shape} / codeBlock`, () => codeBlock(text));
      });
    }, 10_000);
  }
});

describe("a file of 1 MB shaped against backtracking", () => {
  for (const [shape, text] of Object.entries(shapes(FILE))) {
    it(`${shape}: every reader of prompts, files and diffs finishes`, async () => {
      expect(text.length).toBeGreaterThanOrEqual(FILE - 10);
      await runWithLinkScope(async () => {
        timed(`file / ${shape} / allowLinksFrom`, () => allowLinksFrom(text));
        timed(`file / ${shape} / noteModelOutput`, () => noteModelOutput(text));
        timed(`file / ${shape} / proseBlock`, () => proseBlock(text));
      });
      timed(`file / ${shape} / findSecrets`, () => findSecrets(text));
      timed(`file / ${shape} / redactSecrets`, () => redactSecrets(text));
      timed(`file / ${shape} / stripMarkdownFence`, () => stripMarkdownFence(text));
      timed(`file / ${shape} / parseFileDiff`, () =>
        parseFileDiff({
          filename: "a.ts",
          status: "modified",
          additions: 1,
          deletions: 0,
          changes: 1,
          patch: `@@ -1,1 +1,2 @@\n a\n+${text}`,
        }),
      );
    }, 20_000);
  }
});
