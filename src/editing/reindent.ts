// Lines a model adds through a whitespace-tolerant match get the file's indentation, not the model's.

export interface IndentPair {
  /** Leading whitespace of a search line as the model wrote it. */
  modelIndent: string;
  /** Leading whitespace of the file line it matched. */
  fileIndent: string;
}

/** Scales tried, in order, when the model's indentation unit differs from the file's (2 ↔ 4, tab ↔ 8). */
const SCALES = [1, 2, 0.5, 4, 0.25];

export function leadingWhitespace(text: string): string {
  return /^[ \t]*/.exec(text)![0];
}

/** Display columns of an indentation, a tab advancing to the next multiple of `tabWidth`. */
export function indentColumns(indent: string, tabWidth: number): number {
  let columns = 0;
  for (const char of indent)
    columns = char === "\t" ? (Math.floor(columns / tabWidth) + 1) * tabWidth : columns + 1;
  return columns;
}

/**
 * The most frequent step by which indentation grows from one non-blank line to the next, the
 * usual way editors detect an indent unit; steps of one column (JSDoc's ` *`) are ignored.
 * Each group is a separate text (a search and its replacement), so no step spans two of them.
 */
export function indentUnit(
  groups: readonly (readonly string[])[],
  tabWidth: number,
): number | undefined {
  const steps = new Map<number, number>();
  for (const texts of groups) {
    let previous: number | undefined;
    for (const text of texts) {
      if (text.trim() === "") continue;
      const columns = indentColumns(leadingWhitespace(text), tabWidth);
      if (previous !== undefined && columns - previous > 1) {
        steps.set(columns - previous, (steps.get(columns - previous) ?? 0) + 1);
      }
      previous = columns;
    }
  }
  let best: number | undefined;
  let bestCount = 0;
  for (const [step, count] of steps) {
    if (count > bestCount || (count === bestCount && best !== undefined && step < best)) {
      best = step;
      bestCount = count;
    }
  }
  return best;
}

/** Whether the file indents with tabs: more indented lines start with a tab than with a space. */
export function indentsWithTabs(texts: readonly string[]): boolean {
  let tabs = 0;
  let spaces = 0;
  for (const text of texts) {
    if (text.startsWith("\t")) tabs += 1;
    else if (text.startsWith(" ") && text.trim() !== "") spaces += 1;
  }
  return tabs > spaces;
}

export interface ReindentContext {
  pairs: readonly IndentPair[];
  /** Indent unit of the model's search and replace texts, when it shows one. */
  modelUnit: number | undefined;
  /** Indent unit of the file. */
  fileUnit: number | undefined;
  fileUsesTabs: boolean;
  tabWidth: number;
}

export type Reindent = (text: string, anchor: IndentPair) => string;

/**
 * Builds the function that re-indents an added line relative to its nearest matched line:
 * file column = anchor's file column + scale × (line's model column − anchor's model column).
 * An indentation seen in a matched pair maps to exactly what the file had there.
 */
export function makeReindent(context: ReindentContext): Reindent {
  const { pairs, tabWidth } = context;
  const known = consistentMap(pairs);
  const scale = chooseScale(context);
  const columns = (indent: string) => indentColumns(indent, tabWidth);
  return (text, anchor) => {
    const indent = leadingWhitespace(text);
    const body = text.slice(indent.length);
    if (body.trim() === "") return "";
    const mapped = known.get(indent);
    if (mapped !== undefined) return mapped + body;
    const target =
      columns(anchor.fileIndent) + scale * (columns(indent) - columns(anchor.modelIndent));
    const useTabs =
      anchor.fileIndent.includes("\t") || (anchor.fileIndent === "" && context.fileUsesTabs);
    return render(Math.max(0, Math.round(target)), useTabs, tabWidth) + body;
  };
}

function consistentMap(pairs: readonly IndentPair[]): Map<string, string> {
  const map = new Map<string, string>();
  const conflicting = new Set<string>();
  for (const { modelIndent, fileIndent } of pairs) {
    const seen = map.get(modelIndent);
    if (seen !== undefined && seen !== fileIndent) conflicting.add(modelIndent);
    map.set(modelIndent, fileIndent);
  }
  for (const indent of conflicting) map.delete(indent);
  return map;
}

function chooseScale({ pairs, modelUnit, fileUnit, tabWidth }: ReindentContext): number {
  const ratio = modelUnit && fileUnit ? fileUnit / modelUnit : undefined;
  const candidates = ratio !== undefined && SCALES.includes(ratio) ? [ratio, ...SCALES] : SCALES;
  const points = pairs.map(({ modelIndent, fileIndent }) => ({
    model: indentColumns(modelIndent, tabWidth),
    file: indentColumns(fileIndent, tabWidth),
  }));
  const fits = (scale: number) =>
    points.every(
      (point) => point.file - scale * point.model === points[0]!.file - scale * points[0]!.model,
    );
  return candidates.find(fits) ?? candidates[0]!;
}

function render(columns: number, useTabs: boolean, tabWidth: number): string {
  if (!useTabs) return " ".repeat(columns);
  return "\t".repeat(Math.floor(columns / tabWidth)) + " ".repeat(columns % tabWidth);
}
