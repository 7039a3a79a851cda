// APP_ID and the private key as Probot will read them, checked before its server starts: given a
// bad key, Probot prints the key reader's stack trace and then serves its setup page as if no key
// had been given at all.
import { createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { getPrivateKey } from "@probot/get-private-key";
import { EnvironmentValueError } from "./start-up-error.js";

const FROM_SETTINGS = "the .pem file the app's settings page on GitHub gave you";

/** The environment as Probot's `run` sees it: `.env` in the folder, over the process's own. */
export function environmentWithDotEnv(
  env: NodeJS.ProcessEnv,
  cwd = process.cwd(),
): NodeJS.ProcessEnv {
  let text: string;
  try {
    text = readFileSync(join(cwd, ".env"), "utf8");
  } catch {
    return env;
  }
  return { ...env, ...parseEnv(text) };
}

/** Throws an EnvironmentValueError for a credential that is there but unusable. */
export function checkAppCredentials(env: NodeJS.ProcessEnv, cwd = process.cwd()): void {
  const appId = env["APP_ID"]?.trim();
  if (appId && !/^\d+$/.test(appId)) {
    throw new EnvironmentValueError(
      `APP_ID must be the app's numeric ID from its settings page on GitHub (it is "${appId}")`,
    );
  }
  let key: string | null;
  try {
    key = getPrivateKey({ env, cwd });
  } catch {
    throw new EnvironmentValueError(unreadableKey(env, cwd));
  }
  if (key === null || appId === undefined || appId === "") {
    // Nothing to check yet: without both, Probot serves its setup page, which registers the app.
    if (env["NODE_ENV"] === "production") {
      throw new EnvironmentValueError(
        "APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH) must both be set when NODE_ENV is production",
      );
    }
    return;
  }
  try {
    createPrivateKey(key);
  } catch {
    throw new EnvironmentValueError(
      `${env["PRIVATE_KEY"] ? "PRIVATE_KEY" : "PRIVATE_KEY_PATH's file"} holds no usable private key: give ${FROM_SETTINGS}, or generate a new one there`,
    );
  }
}

function unreadableKey(env: NodeJS.ProcessEnv, cwd: string): string {
  if (env["PRIVATE_KEY"]) {
    return `PRIVATE_KEY is not a private key: paste ${FROM_SETTINGS}, its BEGIN and END lines included, or set PRIVATE_KEY_PATH to that file`;
  }
  if (env["PRIVATE_KEY_PATH"]) {
    return `PRIVATE_KEY_PATH names "${env["PRIVATE_KEY_PATH"]}", which is not there: point it at ${FROM_SETTINGS}`;
  }
  return `more than one .pem file lies in ${cwd}: set PRIVATE_KEY_PATH to the app's key`;
}
