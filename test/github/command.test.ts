import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/github/command.js";

describe("parseCommand", () => {
  it("reads the command and the rest of its line", () => {
    expect(parseCommand("/symphony ask why is the cache global?")).toEqual({
      kind: "command",
      name: "ask",
      args: "why is the cache global?",
      details: "",
    });
  });

  it("finds the command on a later line and keeps the lines after it", () => {
    expect(parseCommand("Thanks!\n/symphony plan\nUse SQLite.\nKeep the API.")).toEqual({
      kind: "command",
      name: "plan",
      args: "",
      details: "Use SQLite.\nKeep the API.",
    });
  });

  it("takes the first command when there are several", () => {
    expect(parseCommand("/symphony deeper\n/symphony implement")).toMatchObject({ name: "deeper" });
  });

  it("ignores a command quoted from an earlier comment", () => {
    expect(parseCommand("> /symphony implement\n\nNot yet, please.")).toBeUndefined();
  });

  it("ignores commands inside fenced code blocks", () => {
    expect(parseCommand("Type this:\n```\n/symphony implement\n```\n")).toBeUndefined();
  });

  it("ignores commands inside tilde fences, even with a backtick fence inside", () => {
    expect(parseCommand("~~~md\n```\n/symphony review\n~~~\n/symphony backlog")).toMatchObject({
      name: "backlog",
    });
  });

  it("ignores commands indented as a code block", () => {
    expect(parseCommand("    /symphony refactor")).toBeUndefined();
  });

  it("ignores a command in the middle of a sentence", () => {
    expect(parseCommand("you could run /symphony plan here")).toBeUndefined();
  });

  it("does not read /symphonyplan as a command", () => {
    expect(parseCommand("/symphonyplan")).toBeUndefined();
  });

  it("reads the command word whatever its case", () => {
    expect(parseCommand("/Symphony Review")).toMatchObject({ kind: "command", name: "review" });
  });

  it("takes a bare /symphony as a request for help", () => {
    expect(parseCommand("/symphony")).toMatchObject({ kind: "command", name: "help" });
  });

  it("reports a word that is no command", () => {
    expect(parseCommand("/symphony fix-it now")).toEqual({ kind: "unknown", word: "fix-it" });
  });

  it("reads Windows line endings", () => {
    expect(parseCommand("hi\r\n/symphony review\r\n")).toMatchObject({ name: "review", args: "" });
  });
});
