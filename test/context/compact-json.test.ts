import { describe, expect, it } from "vitest";
import { compactJson } from "../../src/context/compact-json.js";

describe("compactJson", () => {
  it("returns the value untouched when it fits", () => {
    const value = { a: "short", list: [1, 2, 3] };
    expect(compactJson(value, () => true)).toBe(value);
  });

  it("shortens long strings before it shortens lists", () => {
    const value = { text: "x".repeat(5_000), list: ["a", "b", "c"] };
    const compacted = compactJson(value, (v) => JSON.stringify(v).length <= 1_200);
    expect(compacted.list).toEqual(["a", "b", "c"]);
    expect(compacted.text.length).toBeLessThanOrEqual(1_000);
    expect(compacted.text.endsWith("…")).toBe(true);
  });

  it("keeps the first items of long lists when shorter strings are not enough", () => {
    const value = { list: Array.from({ length: 500 }, (_, i) => `item ${i}`) };
    const compacted = compactJson(value, (v) => JSON.stringify(v).length <= 200);
    expect(compacted.list[0]).toBe("item 0");
    expect(JSON.stringify(compacted).length).toBeLessThanOrEqual(200);
  });
});
