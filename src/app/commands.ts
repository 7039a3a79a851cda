// The `/symphony <command>` registry: each feature plugs its command in here.
import type { Context, Logger } from "probot";
import type { RepoConfig } from "../config/schema.js";
import { COMMAND_NAMES, type CommandName, type ParsedCommand } from "../github/command.js";
import type { AppServices } from "./services.js";

/** A command from a person allowed to run it, with the repository's valid settings. */
export interface CommandInvocation {
  context: Context<"issue_comment.created">;
  command: ParsedCommand;
  config: RepoConfig;
  services: AppServices;
  /** A child of `context.log` carrying the command, repository and issue. */
  log: Logger;
}

export interface SymphonyCommand {
  name: CommandName;
  /** How to type it, for help: "/symphony ask <question>". */
  usage: string;
  /** One line for help: what it does. */
  summary: string;
  /**
   * Does the quick part (status comment, checks) and hands model work to `services.queue`;
   * never awaits a model call, since GitHub abandons a webhook delivery after 10 s.
   */
  run(invocation: CommandInvocation): Promise<void>;
}

export class CommandRegistry {
  readonly #commands = new Map<CommandName, SymphonyCommand>();

  constructor(commands: Iterable<SymphonyCommand> = []) {
    for (const command of commands) this.register(command);
  }

  /** Adds a command; a second command with the same name is a wiring mistake and throws. */
  register(command: SymphonyCommand): this {
    if (this.#commands.has(command.name)) {
      throw new Error(`the command "${command.name}" is registered twice`);
    }
    this.#commands.set(command.name, command);
    return this;
  }

  get(name: CommandName): SymphonyCommand | undefined {
    return this.#commands.get(name);
  }

  /** Registered commands in the order help lists them. */
  list(): SymphonyCommand[] {
    return COMMAND_NAMES.flatMap((name) => this.#commands.get(name) ?? []);
  }
}
