import { describe, expect, it } from "vitest";
import { main, usage } from "../../src/cli/main.js";

function capture() {
  const io = { output: "", errors: "" };
  return {
    io,
    streams: {
      out: (text: string) => void (io.output += text),
      err: (text: string) => void (io.errors += text),
    },
  };
}

describe("the symphony CLI", () => {
  it("prints its commands for --help and exits 0", async () => {
    const { io, streams } = capture();

    expect(await main(["--help"], streams)).toBe(0);
    expect(io.output).toBe(usage());
    expect(io.output).toContain("Usage: symphony <command> [options]");
  });

  it("refuses an unknown command on stderr with exit code 2", async () => {
    const { io, streams } = capture();

    expect(await main(["frobnicate"], streams)).toBe(2);
    expect(io.errors).toContain('symphony: unknown command "frobnicate"');
    expect(io.output).toBe("");
  });

  it("prints the package version", async () => {
    const { io, streams } = capture();

    expect(await main(["--version"], streams)).toBe(0);
    expect(io.output).toMatch(/^\d+\.\d+\.\d+/);
  });
});
