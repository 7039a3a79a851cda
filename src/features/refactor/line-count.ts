/** Lines as an editor shows them: a final newline does not open another line. */
export function countLines(content: string): number {
  if (content.length === 0) return 0;
  let lines = content.endsWith("\n") ? 0 : 1;
  for (let at = content.indexOf("\n"); at !== -1; at = content.indexOf("\n", at + 1)) lines += 1;
  return lines;
}
