#!/usr/bin/env node
// `symphony <command>`: Symphony's features from a terminal, against a local checkout.
import { realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { createPlanCliCommand } from "./plan.js";

export interface CliCommand {
  name: string;
  /** "symphony plan <owner/repo#n | issue.md> [--repo-dir .]" */
  usage: string;
  summary: string;
  /** Resolves to the process exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

export interface CliIo {
  /** Results (a plan, a review) go here. */
  out: (text: string) => void;
  /** Progress and errors go here, so `symphony plan … > plan.md` captures only the result. */
  err: (text: string) => void;
}

/** Every command, in the order help lists them; features add theirs here. */
export const cliCommands: CliCommand[] = [createPlanCliCommand()];

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.out(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    io.out(version());
    return 0;
  }
  const command = cliCommands.find((candidate) => candidate.name === name);
  if (command === undefined) {
    io.err(`symphony: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return command.run(args, io);
}

export function usage(): string {
  const width = Math.max(...cliCommands.map((command) => command.usage.length), 20);
  return [
    "Usage: symphony <command> [options]",
    "",
    "Commands:",
    ...cliCommands.map((command) => `  ${command.usage.padEnd(width)}  ${command.summary}`),
    `  ${"symphony --help".padEnd(width)}  Show this list.`,
    `  ${"symphony --version".padEnd(width)}  Print the version.`,
    "",
    "Models: OLLAMA_HOST and SYMPHONY_MODEL (see docs/models.md). GitHub: GITHUB_TOKEN, optional for public repositories.",
    "",
  ].join("\n");
}

function version(): string {
  // lib/cli/main.js and src/cli/main.ts both sit two folders below package.json.
  const pkg = createRequire(import.meta.url)("../../package.json") as { version: string };
  return `${pkg.version}\n`;
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  // npm links the bin, so compare real paths.
  return import.meta.url === pathToFileURL(realpathSync(script)).href;
}

if (isEntryPoint()) {
  const io: CliIo = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      io.err(`symphony: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
