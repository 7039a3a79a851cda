// Shares a token budget among the parts of a prompt, so that no part crowds out the others.
export type EstimateTokens = (text: string) => number;

/** One flexible part of a prompt: it can render itself within any token allowance. */
export interface ContextSection {
  name: string;
  /** Share of the budget, relative to the other sections, when all of them want more. */
  weight: number;
  /** The section's text within `maxTokens`; `Infinity` asks for all of it. */
  fit(maxTokens: number): string;
}

/**
 * Gives each section what it needs when that is below its share, and splits what is left among
 * the sections that want more (water-filling). A section that renders well short of its
 * allowance (a tree summarised by folder) hands the rest back to the others in a further round.
 */
export function fitSections(
  sections: ContextSection[],
  totalTokens: number,
  estimate: EstimateTokens,
): Record<string, string> {
  const total = Math.max(0, Math.floor(totalTokens));
  const need = new Map(sections.map((s) => [s.name, estimate(s.fit(Number.POSITIVE_INFINITY))]));
  const settled = new Map<string, number>();
  const result: Record<string, string> = {};
  let open = [...sections];
  for (let round = 0; round < 4 && open.length > 0; round += 1) {
    let used = 0;
    for (const tokens of settled.values()) used += tokens;
    const allowance = waterFill(open, Math.max(0, total - used), need);
    const stillOpen: ContextSection[] = [];
    for (const s of open) {
      const max = allowance.get(s.name) ?? 0;
      const wanted = need.get(s.name) ?? 0;
      const text = s.fit(wanted <= max ? Number.POSITIVE_INFINITY : max);
      const tokens = estimate(text);
      result[s.name] = text;
      if (wanted <= max || tokens < max * 0.9) settled.set(s.name, tokens);
      else stillOpen.push(s);
    }
    if (stillOpen.length === open.length) break;
    open = stillOpen;
  }
  return result;
}

function waterFill(
  sections: readonly ContextSection[],
  total: number,
  need: ReadonlyMap<string, number>,
): Map<string, number> {
  const allowance = new Map<string, number>();
  let remaining = total;
  let open = [...sections];
  for (;;) {
    const weights = open.reduce((sum, s) => sum + s.weight, 0);
    const satisfied = open.filter(
      (s) => (need.get(s.name) ?? 0) <= (remaining * s.weight) / Math.max(weights, 1e-9),
    );
    if (satisfied.length === 0) break;
    for (const s of satisfied) {
      allowance.set(s.name, need.get(s.name) ?? 0);
      remaining -= need.get(s.name) ?? 0;
    }
    open = open.filter((s) => !satisfied.includes(s));
  }
  const weights = open.reduce((sum, s) => sum + s.weight, 0);
  for (const s of open) allowance.set(s.name, Math.floor((remaining * s.weight) / weights));
  return allowance;
}

/** The longest prefix of `text` within `maxTokens`, cut at a line end when one is near. */
export function cutToTokens(text: string, maxTokens: number, estimate: EstimateTokens): string {
  if (estimate(text) <= maxTokens) return text;
  if (maxTokens <= 0) return "";
  let low = 0;
  let high = Math.min(text.length, Math.max(16, Math.ceil(maxTokens * 16)));
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (estimate(text.slice(0, middle)) <= maxTokens) low = middle;
    else high = middle - 1;
  }
  let end = low;
  // Never leave half of a surrogate pair behind.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  const lineEnd = text.lastIndexOf("\n", end);
  if (lineEnd > end * 0.8) end = lineEnd;
  return text.slice(0, end);
}

/** Cuts `text` to fit and says so in a visible line, so no reader mistakes a part for the whole. */
export function cutWithNote(
  text: string,
  maxTokens: number,
  estimate: EstimateTokens,
  what: string,
): string {
  if (estimate(text) <= maxTokens) return text;
  const note = (shown: number): string =>
    `\n[… ${what} cut to fit the model's context: showing the first ${shown.toLocaleString("en-US")} of ${text.length.toLocaleString("en-US")} characters]`;
  const noteTokens = estimate(note(text.length));
  if (noteTokens > maxTokens) return "";
  const kept = cutToTokens(text, maxTokens - noteTokens, estimate);
  return kept + note(kept.length);
}
