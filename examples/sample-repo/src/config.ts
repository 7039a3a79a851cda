// .github/greeter.yml, with a default for every key.
import type { Context } from "probot";

export interface GreeterConfig {
  /** The reply to a new issue; `{author}` becomes the author's login. */
  thanks: string;
}

const DEFAULTS: GreeterConfig = { thanks: "Thanks for the issue, @{author}!" };

export async function loadGreeterConfig(context: Context<"issues">): Promise<GreeterConfig> {
  const file = await context.config<Partial<GreeterConfig>>("greeter.yml");
  return { ...DEFAULTS, ...file };
}
