// Shrinks a JSON value until it fits, by shortening long strings and long lists, keeping its shape.

const STRING_LIMITS = [Number.POSITIVE_INFINITY, 2_000, 1_000, 500, 300, 200, 120, 80, 40];
const LIST_LIMITS = [Number.POSITIVE_INFINITY, 12, 8, 6, 4, 3, 2, 1];

/**
 * The least-shortened copy of `value` for which `fits` holds, or the most shortened one when
 * none does. Strings are cut with an ellipsis and lists keep their first items, so a schema with
 * maximum lengths and counts still accepts the result (minimums of more than one item aside).
 */
export function compactJson<T>(value: T, fits: (candidate: T) => boolean): T {
  if (fits(value)) return value;
  let candidate = value;
  for (const maxItems of LIST_LIMITS) {
    for (const maxChars of STRING_LIMITS) {
      candidate = shorten(value, maxChars, maxItems) as T;
      if (fits(candidate)) return candidate;
    }
  }
  return candidate;
}

function shorten(value: unknown, maxChars: number, maxItems: number): unknown {
  if (typeof value === "string") {
    return value.length > maxChars ? `${value.slice(0, maxChars - 1)}…` : value;
  }
  if (Array.isArray(value)) {
    return value.slice(0, maxItems).map((item) => shorten(item, maxChars, maxItems));
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, shorten(item, maxChars, maxItems)]),
    );
  }
  return value;
}
