// A small repository map (aider's idea): the signatures of the files an edit touches or calls,
// so the model writes calls that exist, bounded in tokens so it never crowds out the file itself.
import { fileOutline } from "./symbol-outline.js";

export interface MapFile {
  path: string;
  content: string;
}

export interface RepositoryMapOptions {
  /** Most tokens the map may take, by `estimateTokens`. */
  maxTokens: number;
  estimateTokens: (text: string) => number;
  /** Paths whose every declaration is shown (the file being edited), not only exported ones. */
  allDeclarations?: ReadonlySet<string>;
}

/**
 * One section per file, in the order given (most relevant first): the path, then its signatures
 * indented. When the budget runs out, a file's remaining signatures are counted instead of shown,
 * and files that do not fit at all are named in one closing line. Empty when nothing has any.
 */
export async function repositoryMap(
  files: readonly MapFile[],
  options: RepositoryMapOptions,
): Promise<string> {
  const sections: string[] = [];
  const left: string[] = [];
  let used = 0;
  for (const file of files) {
    const outline = await fileOutline(file.path, file.content, {
      exportedOnly: !(options.allDeclarations?.has(file.path) ?? false),
    });
    if (outline.length === 0) continue;
    const heading = file.path;
    let cost = options.estimateTokens(heading) + 1;
    if (used + cost > options.maxTokens) {
      left.push(file.path);
      continue;
    }
    const shown: string[] = [];
    for (const line of outline) {
      const lineCost = options.estimateTokens(line) + 1;
      if (used + cost + lineCost > options.maxTokens - 8) break;
      shown.push(`  ${line}`);
      cost += lineCost;
    }
    if (shown.length === 0) {
      left.push(file.path);
      continue;
    }
    const hidden = outline.length - shown.length;
    if (hidden > 0) shown.push(`  … ${hidden} more not shown`);
    sections.push([heading, ...shown].join("\n"));
    used += cost;
  }
  if (left.length > 0) {
    const named = left.slice(0, 5).join(", ");
    const more = left.length > 5 ? ` and ${left.length - 5} more` : "";
    sections.push(`(not shown, over the map's budget: ${named}${more})`);
  }
  return sections.join("\n");
}
