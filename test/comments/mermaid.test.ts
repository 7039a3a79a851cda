import { describe, expect, it } from "vitest";
import { sanitizeMermaid } from "../../src/comments/mermaid.js";

describe("Mermaid from the model", () => {
  it("strips code fences and quotes labels that hold special characters", () => {
    const source = [
      "```mermaid",
      "flowchart TD",
      "  A[Start (webhook)] --> B{Is it a bot?}",
      "  B -->|yes| C[Stop]",
      "  B -- no --> D(Call f(x))",
      "```",
    ].join("\n");
    expect(sanitizeMermaid(source)).toMatchInlineSnapshot(`
      "flowchart TD
        A["Start (webhook)"] --> B{"Is it a bot?"}
        B -->|"yes"| C["Stop"]
        B -->|"no"| D("Call f(x)")"
    `);
  });

  it("adds the flowchart header a model forgot when the lines are edges", () => {
    expect(sanitizeMermaid("A --> B\nB --> C")).toBe("flowchart TD\n  A --> B\n  B --> C");
  });

  it("removes click directives and init blocks, and turns HTML in labels into entity codes", () => {
    const source =
      'flowchart LR\n%%{init: {"securityLevel": "loose"}}%%\nclick A "javascript:alert(1)"\nA["<b>bold</b>"] --> B';
    expect(sanitizeMermaid(source)).toBe('flowchart LR\n  A["#lt;b#gt;bold#lt;/b#gt;"] --> B');
  });

  it("keeps subgraphs, styles and comments", () => {
    const source = "flowchart TD\nsubgraph Intake\nA --> B\nend\nstyle A fill:#f9f\n%% a note";
    expect(sanitizeMermaid(source)).toBe(
      "flowchart TD\n  subgraph Intake\n  A --> B\n  end\n  style A fill:#f9f\n  %% a note",
    );
  });

  it("gives up on prose, unclosed shapes and over-long diagrams", () => {
    expect(sanitizeMermaid("The webhook arrives, then we plan.")).toBeUndefined();
    expect(
      sanitizeMermaid("flowchart TD\nA[Start] --> B\nThen the plan is posted"),
    ).toBeUndefined();
    expect(sanitizeMermaid("flowchart TD\nA[Start --> B")).toBeUndefined();
    const long = `flowchart TD\n${Array.from({ length: 200 }, (_, i) => `N${i} --> N${i + 1}`).join("\n")}`;
    expect(sanitizeMermaid(long)).toBeUndefined();
    expect(sanitizeMermaid("")).toBeUndefined();
  });
});
