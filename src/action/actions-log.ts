// Probot's pino logger written to the Actions log: warnings and errors become annotations,
// debug lines show only when the workflow runs with step debugging on.
import * as core from "@actions/core";
import { pino, type Logger } from "pino";

interface LogLine {
  level: number;
  msg?: string;
  name?: string;
  err?: { message?: string };
}

const WARN = 40;
const ERROR = 50;
const INFO = 30;

export function createActionsLogger(): Logger {
  return pino(
    { level: core.isDebug() ? "debug" : "info", base: null, timestamp: false },
    { write: (line: string) => writeLine(line) },
  );
}

function writeLine(json: string): void {
  let line: LogLine;
  try {
    line = JSON.parse(json) as LogLine;
  } catch {
    core.info(json.trimEnd());
    return;
  }
  const text = render(line);
  if (line.level >= ERROR) core.error(text);
  else if (line.level >= WARN) core.warning(text);
  else if (line.level >= INFO) core.info(text);
  else core.debug(text);
}

function render(line: LogLine): string {
  const where = line.name === undefined ? "" : `[${line.name}] `;
  const message = line.msg ?? "";
  const cause = line.err?.message;
  // "could not edit the status comment: Bad credentials": the reason belongs on the same line.
  return cause === undefined || message.includes(cause)
    ? `${where}${message}`
    : `${where}${message}: ${cause}`;
}
