// The longest run of one character in a text, for fences and code spans that nothing inside can close.

/**
 * Counted in one pass: `Math.max(...text.match(/`+/g))` throws a RangeError once a file holds
 * a few hundred thousand runs (1 MB of "` "), since every run becomes an argument.
 */
export function longestRun(text: string, char: string): number {
  let longest = 0;
  for (let at = text.indexOf(char); at >= 0; at = text.indexOf(char, at)) {
    const start = at;
    while (text[at] === char) at++;
    longest = Math.max(longest, at - start);
  }
  return longest;
}
