import { describe, expect, it } from "vitest";
import { cutWithNote, fitSections, type ContextSection } from "../../src/context/budget.js";

const estimate = (text: string): number => Math.ceil(text.length / 4);

function text(name: string, chars: number, weight = 1): ContextSection {
  const full = "x".repeat(chars);
  return {
    name,
    weight,
    fit: (max) => (estimate(full) <= max ? full : full.slice(0, Math.max(0, max) * 4)),
  };
}

describe("token budget", () => {
  it("gives a small section all it needs and shares the rest by weight", () => {
    const fitted = fitSections(
      [text("small", 400), text("a", 40_000, 1), text("b", 40_000, 3)],
      1_100,
      estimate,
    );
    expect(estimate(fitted.small!)).toBe(100);
    expect(estimate(fitted.a!)).toBe(250);
    expect(estimate(fitted.b!)).toBe(750);
  });

  it("hands back what a section cannot use to the sections that want more", () => {
    const summary: ContextSection = {
      name: "tree",
      weight: 4,
      fit: (max) => (max >= 200 ? "t".repeat(800) : ""),
    };
    const fitted = fitSections([summary, text("issue", 40_000, 1)], 1_000, estimate);
    expect(estimate(fitted.tree!)).toBe(200);
    expect(estimate(fitted.issue!)).toBe(800);
  });

  it("says how much of a cut text is shown", () => {
    expect(cutWithNote("y".repeat(10_000), 100, estimate, "README")).toMatch(
      /\n\[… README cut to fit the model's context: showing the first [\d,]+ of 10,000 characters\]$/,
    );
  });
});
