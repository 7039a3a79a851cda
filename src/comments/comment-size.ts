// Keeps a comment under GitHub's 65,536-character limit by dropping or trimming whole sections,
// least important first, so nothing is ever cut in the middle of a code block or a table row.

/** GitHub refuses comment bodies longer than this. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** Left for what the caller adds around the body (the hidden marker, a link). */
export const CALLER_RESERVE = 512;

export interface CommentSection {
  /** Heading and any lead-in text, kept whenever the section is. */
  head: string;
  /** Whole entries (list items, table rows, code blocks): dropped from the end when needed. */
  items?: string[];
  /** Text after the items (a closing line); kept whenever the section is. */
  tail?: string;
  /** Smaller is more important; 0 is never dropped, only trimmed. */
  priority: number;
  /** One line shown instead when the whole section is left out. */
  whenLeftOut?: string;
}

interface State {
  section: CommentSection;
  keptItems: number;
  dropped: boolean;
}

export function fitSections(sections: readonly CommentSection[], limit: number): string {
  const states: State[] = sections.map((section) => ({
    section,
    keptItems: section.items?.length ?? 0,
    dropped: false,
  }));
  const size = (): number => render(states).length;
  const droppable = states
    .filter((s) => s.section.priority > 0)
    .sort((a, b) => b.section.priority - a.section.priority);
  for (const state of droppable) {
    if (size() <= limit) break;
    state.dropped = true;
  }
  while (size() > limit) {
    const largest = states
      .filter((s) => !s.dropped && s.keptItems > 0)
      .sort((a, b) => renderOne(b).length - renderOne(a).length)[0];
    if (!largest) break;
    largest.keptItems -= Math.max(1, Math.ceil(largest.keptItems / 8));
  }
  return render(states);
}

function render(states: readonly State[]): string {
  return states
    .map(renderOne)
    .filter((text) => text !== "")
    .join("\n\n");
}

function renderOne(state: State): string {
  const { section, keptItems, dropped } = state;
  if (dropped) return section.whenLeftOut ?? "";
  const items = section.items ?? [];
  const kept = items.slice(0, keptItems);
  const left = items.length - kept.length;
  const body = [section.head, ...kept].filter((part) => part !== "").join("\n");
  // A blank line first: a plain line straight after a table row would become another row.
  const more = left > 0 ? `\n\n_…and ${left} more, left out to fit GitHub's comment size._` : "";
  const tail = section.tail ? `\n\n${section.tail}` : "";
  return body + more + tail;
}
