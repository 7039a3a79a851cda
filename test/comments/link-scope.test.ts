import { describe, expect, it } from "vitest";
import {
  allowLinksFrom,
  defuseUnquotedLinks,
  noteModelOutput,
  runWithLinkScope,
} from "../../src/comments/link-scope.js";
import { proseBlock } from "../../src/comments/sanitise.js";

const ZWSP = "\u200B";

describe("links in model text", () => {
  it("keeps a link the run gave the model, and defuses one it did not", async () => {
    const shown = await runWithLinkScope(async () => {
      allowLinksFrom("The docs are at https://docs.example.com/setup.");
      return defuseUnquotedLinks(
        "See https://docs.example.com/setup, then log in at https://evil.example/login.",
      );
    });

    expect(shown).toBe(
      `See https://docs.example.com/setup, then log in at https:/${ZWSP}/evil.example/login.`,
    );
  });

  it("keeps a Markdown link's text and shows an unquoted target unlinked", async () => {
    const shown = await runWithLinkScope(() =>
      Promise.resolve(defuseUnquotedLinks("Log in at [GitHub](https://evil.example/login).")),
    );

    expect(shown).toBe(`Log in at GitHub (https:/${ZWSP}/evil.example/login).`);
  });

  it("defuses www. links GitHub would autolink", async () => {
    const shown = await runWithLinkScope(() =>
      Promise.resolve(defuseUnquotedLinks("Go to www.evil.example now")),
    );

    expect(shown).toBe(`Go to www${ZWSP}.evil.example now`);
  });

  it("does not let a link one agent invented count as given when the next agent is shown it", async () => {
    const shown = await runWithLinkScope(async () => {
      allowLinksFrom("Please greet new contributors.");
      noteModelOutput('{"goal":"Greet at https://evil.example/login"}');
      allowLinksFrom("The epic: Greet at https://evil.example/login");
      return defuseUnquotedLinks("Send them to https://evil.example/login");
    });

    expect(shown).toBe(`Send them to https:/${ZWSP}/evil.example/login`);
  });

  it("defuses through the renderers, and changes nothing outside a run", async () => {
    const text = "Read https://evil.example/login first.";

    expect(await runWithLinkScope(() => Promise.resolve(proseBlock(text)))).toBe(
      `Read https:/${ZWSP}/evil.example/login first.`,
    );
    expect(proseBlock(text)).toBe(text);
  });
});

describe("every form of link and mention in model text", () => {
  const EVIL = "evil.example";
  /** Forms GitHub would render as a live link, image or mention. */
  const FORMS = [
    "[text](https&#58;//evil.example)",
    "![x](https&#58;//evil.example/p.png)",
    "![x](https://evil.example/p.png)",
    "&#64;user and &#x40;user",
    "[text](//evil.example)",
    "<https://evil.example/a>",
    "[x]: https://evil.example\n\nuse [x] here",
    "[a [b] c](https://evil.example)",
    "[t](<//evil.example>)",
    "[t](javascript:alert(1))",
  ];

  it.each(FORMS)("%j becomes plain text", async (form) => {
    const shown = await runWithLinkScope(() => {
      allowLinksFrom("given: https://docs.example.com/a");
      return Promise.resolve(proseBlock(form));
    });
    // No inline link or image syntax, no reference definition, no autolink, no entity.
    expect(shown).not.toMatch(/\]\(/);
    expect(shown).not.toMatch(/!\[/);
    expect(shown).not.toMatch(/^\s{0,3}\[[^\]]*\]:/m);
    expect(shown).not.toMatch(/<[a-z]/i);
    expect(shown).not.toMatch(/&#/);
    expect(shown).not.toMatch(new RegExp(`(^|[(\\s])(https?:)?//${EVIL}`));
  });

  it("keeps a link the run gave, but shows an image only as a link", async () => {
    const shown = await runWithLinkScope(() => {
      allowLinksFrom("see https://docs.example.com/a and https://docs.example.com/a.png");
      return Promise.resolve(
        proseBlock("[docs](https://docs.example.com/a) ![shot](https://docs.example.com/a.png)"),
      );
    });
    expect(shown).toBe(
      `[docs](https://docs.example.com/a) !${ZWSP}[shot](https://docs.example.com/a.png)`,
    );
  });
});
