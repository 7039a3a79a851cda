// The language-agnostic complexity proxy: comments and strings stripped, functions found by their
// header and their indentation, nesting read from indentation, branches from each family's keywords.
import type { FunctionComplexity } from "./complexity.js";
import { TOP_LEVEL } from "./function-unit.js";
import { countLines } from "./line-count.js";
import type { ProxyLanguage } from "./proxy-languages.js";

interface CodeLine {
  /** 0-based line number. */
  index: number;
  /** Leading whitespace in columns, a tab counting four. */
  indent: number;
  /** The line with comments removed, strings emptied and whitespace trimmed. */
  text: string;
}

interface OpenUnit {
  name: string;
  headerIndent: number;
  firstLine: number;
  lastLine: number;
  cyclomatic: number;
  cognitive: number;
  /** The previous boolean operator of the condition being read, for runs of like operators. */
  lastOperator: string | undefined;
}

export function measureWithProxy(
  content: string,
  language: ProxyLanguage,
): { units: FunctionComplexity[]; lines: number; codeLines: number } {
  const code = codeLinesOf(content, language);
  const indentUnit = indentationUnit(code);
  const units: FunctionComplexity[] = [];
  const topLevel = openUnit(TOP_LEVEL, -indentUnit, 0);
  const stack: OpenUnit[] = [];
  const close = (unit: OpenUnit) => units.push(closedUnit(unit));

  for (const line of code) {
    if (closeEndedFunctions(line, stack, language, close)) continue;
    const header = language.functionHeader.exec(line.text);
    if (header) {
      const own = header.slice(1).filter(Boolean).join(".");
      const enclosing = stack.at(-1);
      const name = enclosing ? `${enclosing.name} › ${own}` : own;
      stack.push(openUnit(name, line.indent, line.index));
      continue;
    }
    const unit = stack.at(-1) ?? topLevel;
    unit.lastLine = line.index;
    const nesting = Math.max(0, Math.round((line.indent - unit.headerIndent) / indentUnit) - 1);
    countBranches(line.text, nesting, unit, language);
  }
  while (stack.length > 0) close(stack.pop()!);
  if (topLevel.cyclomatic > 1 || topLevel.cognitive > 0) {
    units.push({ ...closedUnit(topLevel), line: 1, endLine: topLevel.lastLine + 1 });
  }
  units.sort((a, b) => a.line - b.line);
  return { units, lines: countLines(content), codeLines: code.length };
}

function openUnit(name: string, headerIndent: number, line: number): OpenUnit {
  return {
    name,
    headerIndent,
    firstLine: line,
    lastLine: line,
    cyclomatic: 1,
    cognitive: 0,
    lastOperator: undefined,
  };
}

function closedUnit(unit: OpenUnit): FunctionComplexity {
  return {
    name: unit.name,
    line: unit.firstLine + 1,
    endLine: unit.lastLine + 1,
    lines: unit.lastLine - unit.firstLine + 1,
    cyclomatic: unit.cyclomatic,
    cognitive: unit.cognitive,
  };
}

/**
 * Closes the functions a line at or left of their header ends. Returns true when the line was a
 * closer (`}`, `end`) that belongs to the function it closed.
 */
function closeEndedFunctions(
  line: CodeLine,
  stack: OpenUnit[],
  language: ProxyLanguage,
  close: (unit: OpenUnit) => void,
): boolean {
  for (let top = stack.at(-1); top && line.indent <= top.headerIndent; top = stack.at(-1)) {
    // Wrapped parameter lists (`) error {`, `):`) and Allman braces continue the header.
    if (/^[)\]]/.test(line.text) || line.text === "{") {
      if (line.indent === top.headerIndent) return false;
    }
    if (language.closers.test(line.text) && line.indent === top.headerIndent) {
      top.lastLine = line.index;
      close(stack.pop()!);
      return true;
    }
    close(stack.pop()!);
  }
  return false;
}

const TOKENS = /[A-Za-z_]\w*|&&|\|\||=>/g;

type Role = "else-if" | "else" | "structure" | "switch" | "case" | "operator";
const rolesByLanguage = new WeakMap<ProxyLanguage, ReadonlyMap<string, Role>>();

/**
 * What each keyword or operator counts as, looked up once per token instead of searching six
 * lists (a 1 MB line holds half a million tokens). Set from the least to the most specific
 * list, so a word in two lists has the role the earlier test gave it.
 */
function rolesOf(language: ProxyLanguage): ReadonlyMap<string, Role> {
  const known = rolesByLanguage.get(language);
  if (known) return known;
  const roles = new Map<string, Role>();
  const give = (tokens: readonly string[], role: Role): void => {
    for (const token of tokens) roles.set(token, role);
  };
  give(language.booleanOperators, "operator");
  give(language.arrowCases ? [...language.cases, "=>"] : language.cases, "case");
  give(language.switches, "switch");
  give(language.structures, "structure");
  give(language.elses, "else");
  give(language.elseIfs, "else-if");
  rolesByLanguage.set(language, roles);
  return roles;
}

/** Adds one line's branches to its unit: the cognitive increments weigh the nesting. */
function countBranches(
  text: string,
  nesting: number,
  unit: OpenUnit,
  language: ProxyLanguage,
): void {
  const tokens = text.match(TOKENS) ?? [];
  const roles = rolesOf(language);
  const doWhileTail = text.startsWith("}") && text.endsWith(";");
  let sawOperator = false;
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    if (token === "else" && tokens[i + 1] === "if" && language.elseIfs.includes("else if")) {
      unit.cyclomatic += 1;
      unit.cognitive += 1;
      i += 1;
      continue;
    }
    const role = roles.get(token);
    if (role === "else-if") {
      unit.cyclomatic += 1;
      unit.cognitive += 1;
    } else if (role === "else") {
      unit.cognitive += 1;
    } else if (role === "structure") {
      if (token === "while" && doWhileTail) continue;
      unit.cyclomatic += 1;
      unit.cognitive += 1 + nesting;
    } else if (role === "switch") {
      unit.cognitive += 1 + nesting;
    } else if (role === "case") {
      unit.cyclomatic += 1;
    } else if (role === "operator") {
      unit.cyclomatic += 1;
      if (unit.lastOperator !== token) unit.cognitive += 1;
      unit.lastOperator = token;
      sawOperator = true;
    }
  }
  // A condition wrapped over lines keeps its run of operators; a line without any ends it.
  if (!sawOperator) unit.lastOperator = undefined;
}

/** The most common step by which indentation grows: the file's indent unit (4 when flat). */
function indentationUnit(code: readonly CodeLine[]): number {
  const steps = new Map<number, number>();
  for (let i = 1; i < code.length; i += 1) {
    const step = code[i]!.indent - code[i - 1]!.indent;
    if (step > 0 && step <= 8) steps.set(step, (steps.get(step) ?? 0) + 1);
  }
  let best = 4;
  let bestCount = 0;
  for (const [step, count] of steps) {
    if (count > bestCount || (count === bestCount && step < best)) {
      best = step;
      bestCount = count;
    }
  }
  return best;
}

function indentationOf(line: string): number {
  let columns = 0;
  for (const char of line) {
    if (char === " ") columns += 1;
    else if (char === "\t") columns += 4;
    else break;
  }
  return columns;
}

/** Lines that hold code, with comments removed and strings emptied. */
function codeLinesOf(content: string, language: ProxyLanguage): CodeLine[] {
  const stripper = new CommentAndStringStripper(language);
  const result: CodeLine[] = [];
  const lines = content.split(/\r?\n/);
  for (let index = 0; index < lines.length; index += 1) {
    const raw = lines[index]!;
    // A blank line holds no code and cannot open or close a comment: nothing to strip.
    if (raw.trim() === "") continue;
    const startedInComment = stripper.inBlock;
    const text = stripper.strip(raw).trim();
    if (text.length === 0) continue;
    // A line that starts inside a block comment has its code after the comment's end.
    const indent = startedInComment
      ? indentationOf(raw) + raw.trimStart().indexOf(text)
      : indentationOf(raw);
    result.push({ index, indent, text });
  }
  return result;
}

class CommentAndStringStripper {
  /** The text that ends the block comment the scan is in, if any. */
  private blockEnd: string | undefined;
  /** Where a comment or string may start; the text between two such places is copied whole. */
  private readonly special: RegExp;

  constructor(private readonly language: ProxyLanguage) {
    const starts = new Set<string>([
      ...language.lineComments.map((c) => c[0]!),
      ...language.blockComments.map(([open]) => open[0]!),
      ...language.quotes,
      ...(language.singleQuoteIsCharLiteral ? ["'"] : []),
    ]);
    this.special = new RegExp(`[${[...starts].map((c) => `\\${c}`).join("")}]`, "g");
  }

  get inBlock(): boolean {
    return this.blockEnd !== undefined;
  }

  strip(line: string): string {
    const lineBlock = this.language.lineStartBlock;
    if (lineBlock) {
      if (this.blockEnd === lineBlock[1]) {
        if (line.startsWith(lineBlock[1])) this.blockEnd = undefined;
        return "";
      }
      if (line.startsWith(lineBlock[0])) {
        this.blockEnd = lineBlock[1];
        return "";
      }
    }
    let at = 0;
    if (this.blockEnd !== undefined) {
      const end = line.indexOf(this.blockEnd);
      if (end === -1) return "";
      at = end + this.blockEnd.length;
      this.blockEnd = undefined;
    }
    return this.scan(at === 0 ? line : line.slice(at));
  }

  private scan(line: string): string {
    let out = "";
    let at = 0;
    while (at < line.length) {
      this.special.lastIndex = at;
      const next = this.special.exec(line)?.index ?? line.length;
      out += line.slice(at, next);
      at = next;
      if (at === line.length) break;
      if (this.language.lineComments.some((marker) => line.startsWith(marker, at))) break;
      const block = this.language.blockComments.find(([open]) => line.startsWith(open, at));
      if (block) {
        const end = line.indexOf(block[1], at + block[0].length);
        if (end === -1) {
          this.blockEnd = block[1];
          break;
        }
        out += " ";
        at = end + block[1].length;
        continue;
      }
      const stringEnd = this.stringEndAt(line, at);
      if (stringEnd !== undefined) {
        out += '""';
        at = stringEnd;
        continue;
      }
      out += line[at];
      at += 1;
    }
    return out;
  }

  /** Index just past the string literal starting at `at`, or undefined when none starts there. */
  private stringEndAt(line: string, at: number): number | undefined {
    const quote = line[at]!;
    if (quote === "'" && this.language.singleQuoteIsCharLiteral) {
      const literal = /^'(?:\\u\{[0-9a-fA-F]+\}|\\.|[^\\'])'/.exec(line.slice(at, at + 12));
      return literal ? at + literal[0].length : undefined;
    }
    if (!this.language.quotes.includes(quote)) return undefined;
    for (let i = at + 1; i < line.length; i += 1) {
      if (line[i] === "\\" && quote !== "`") i += 1;
      else if (line[i] === quote) return i + 1;
    }
    // Unterminated on this line (a multi-line string): the rest of the line is not code.
    return line.length;
  }
}
