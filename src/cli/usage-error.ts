// A mistake in how the CLI was called (arguments, files, settings): exit code 2, as documented.

export class CliUsageError extends Error {
  override name = "CliUsageError";
}
