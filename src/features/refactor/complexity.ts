// How complex a file is: per-function measures from the TypeScript syntax tree for TS/JS, from a
// language-agnostic proxy for other languages; files that cannot be measured say why.
import { unmeasurableContent, type ContentSkipReason } from "./exclusions.js";
import { TOP_LEVEL } from "./function-unit.js";
import { measureWithProxy } from "./proxy-complexity.js";
import { proxyLanguageOf } from "./proxy-languages.js";
import { measureTypeScript, typeScriptKindOf } from "./typescript-complexity.js";

/** One function (or the file's top-level code), measured. */
export interface FunctionComplexity {
  /** Readable name: `Class.method`, `outer › inner`, `items.map callback`, `(top level)`. */
  name: string;
  /** 1-based first and last line. */
  line: number;
  endLine: number;
  lines: number;
  cyclomatic: number;
  cognitive: number;
}

export type MeasureMethod = "syntax-tree" | "proxy";

export interface FileComplexity {
  path: string;
  language: string;
  method: MeasureMethod;
  /** Physical lines of the file. */
  lines: number;
  /** Lines that hold code (not blank, not only a comment). */
  codeLines: number;
  /** Sum of cognitive complexity over every function and the top-level code: the ranking's measure. */
  cognitive: number;
  /** Sum of cyclomatic complexity over every function and the top-level code. */
  cyclomatic: number;
  functions: FunctionComplexity[];
  longestFunction: FunctionComplexity | undefined;
  /** The three functions hardest to read: highest cognitive, then cyclomatic, then length. */
  worstFunctions: FunctionComplexity[];
}

export type SkipReason = ContentSkipReason | "not-code";

export interface SkippedFile {
  path: string;
  skipped: SkipReason;
}

export const WORST_FUNCTIONS_KEPT = 3;

/** Measures one file, or says why it was skipped (binary, huge, minified, generated, not code). */
export async function measureComplexity(
  path: string,
  content: string,
): Promise<FileComplexity | SkippedFile> {
  const unmeasurable = unmeasurableContent(content);
  if (unmeasurable) return { path, skipped: unmeasurable };
  const tsKind = typeScriptKindOf(path);
  if (tsKind) {
    const measured = await measureTypeScript(path, content, tsKind.scriptKind);
    return summarise(path, tsKind.language, "syntax-tree", measured);
  }
  const proxyLanguage = proxyLanguageOf(path);
  if (proxyLanguage) {
    return summarise(path, proxyLanguage.name, "proxy", measureWithProxy(content, proxyLanguage));
  }
  return { path, skipped: "not-code" };
}

/** Whether the file's language can be measured at all: worth reading it. */
export function canMeasure(path: string): boolean {
  return typeScriptKindOf(path) !== undefined || proxyLanguageOf(path) !== undefined;
}

export function isSkipped(result: FileComplexity | SkippedFile): result is SkippedFile {
  return "skipped" in result;
}

/** Orders functions hardest-to-read first; ties go to the earlier line so the order is stable. */
export function byDifficulty(a: FunctionComplexity, b: FunctionComplexity): number {
  return (
    b.cognitive - a.cognitive || b.cyclomatic - a.cyclomatic || b.lines - a.lines || a.line - b.line
  );
}

interface UnitsAndLines {
  units: FunctionComplexity[];
  lines: number;
  codeLines: number;
}

function summarise(
  path: string,
  language: string,
  method: MeasureMethod,
  { units, lines, codeLines }: UnitsAndLines,
): FileComplexity {
  const functions = units.filter((unit) => unit.name !== TOP_LEVEL).sort((a, b) => a.line - b.line);
  let longestFunction: FunctionComplexity | undefined;
  for (const fn of functions) {
    if (!longestFunction || fn.lines > longestFunction.lines) longestFunction = fn;
  }
  return {
    path,
    language,
    method,
    lines,
    codeLines,
    cognitive: units.reduce((sum, unit) => sum + unit.cognitive, 0),
    cyclomatic: units.reduce((sum, unit) => sum + unit.cyclomatic, 0),
    functions,
    longestFunction,
    worstFunctions: [...units]
      .filter((unit) => unit.cognitive > 0 || unit.cyclomatic > 1)
      .sort(byDifficulty)
      .slice(0, WORST_FUNCTIONS_KEPT),
  };
}
