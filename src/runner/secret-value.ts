// Holds an API key so that logging, JSON.stringify or util.inspect of the settings never shows it.
import { inspect } from "node:util";

const REDACTED = "[redacted]";

export class SecretValue {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The key itself; call only where it goes on the wire. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
