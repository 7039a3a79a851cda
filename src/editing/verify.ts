// Cheap, certain checks on an edited file: UTF-8, still parses as its kind, and actually changed.
import type TypeScript from "typescript";
import { parseAllDocuments } from "yaml";
import { loadTypeScript } from "./typescript-compiler.js";

export type VerifyProblemKind =
  "not_utf8" | "invalid_json" | "invalid_yaml" | "syntax_error" | "unchanged";

export interface VerifyProblem {
  kind: VerifyProblemKind;
  path: string;
  /** A sentence for the model's next attempt and for the pull request body. */
  message: string;
}

const MAX_REPORTED_ERRORS = 3;

/**
 * Problems the edit introduced in `path`. A file that did not parse before is not held to
 * parsing after: the edit cannot be blamed for it.
 */
export async function verifyEditedFile(
  path: string,
  before: string | undefined,
  after: string,
): Promise<VerifyProblem[]> {
  if (before === after) {
    return [{ kind: "unchanged", path, message: `the edit leaves ${path} exactly as it was` }];
  }
  if (!isWellFormedText(after)) {
    return [
      {
        kind: "not_utf8",
        path,
        message: `the edit puts characters into ${path} that cannot be written as UTF-8`,
      },
    ];
  }
  const kind = fileKind(path);
  if (kind === undefined) return [];
  const errorsAfter = await parseErrors(kind, path, after);
  if (errorsAfter.length === 0) return [];
  if (before !== undefined && (await parseErrors(kind, path, before)).length > 0) return [];
  return [
    {
      kind: PROBLEM_OF[kind],
      path,
      message: `${path} no longer parses as ${LABEL_OF[kind]}: ${errorsAfter.slice(0, MAX_REPORTED_ERRORS).join("; ")}`,
    },
  ];
}

/** A JavaScript string with a lone surrogate cannot be encoded as UTF-8 without loss. */
export function isWellFormedText(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

type FileKind = "json" | "jsonc" | "yaml" | "script";

const PROBLEM_OF: Record<FileKind, VerifyProblemKind> = {
  json: "invalid_json",
  jsonc: "invalid_json",
  yaml: "invalid_yaml",
  script: "syntax_error",
};

const LABEL_OF: Record<FileKind, string> = {
  json: "JSON",
  jsonc: "JSON with comments",
  yaml: "YAML",
  script: "TypeScript/JavaScript",
};

/** Names of ts.ScriptKind members, looked up once the compiler is loaded. */
type ScriptKindName = keyof typeof TypeScript.ScriptKind;

const SCRIPT_KINDS: Record<string, ScriptKindName> = {
  ts: "TS",
  mts: "TS",
  cts: "TS",
  tsx: "TSX",
  js: "JS",
  mjs: "JS",
  cjs: "JS",
  jsx: "JSX",
};

/** Files people write with comments and trailing commas although they end in .json. */
const JSONC_NAMES =
  /(^|\/)(tsconfig[^/]*|jsconfig[^/]*|\.vscode\/[^/]+|devcontainer|\.devcontainer\/[^/]+|\.eslintrc|\.babelrc|api-extractor|turbo)\.json$/i;

function fileKind(path: string): FileKind | undefined {
  const extension = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase();
  if (extension === "jsonc" || JSONC_NAMES.test(path)) return "jsonc";
  if (extension === "json") return "json";
  if (extension === "yml" || extension === "yaml") return "yaml";
  if (extension !== undefined && extension in SCRIPT_KINDS) return "script";
  return undefined;
}

async function parseErrors(kind: FileKind, path: string, text: string): Promise<string[]> {
  switch (kind) {
    case "json":
      return jsonErrors(text);
    case "jsonc":
      return jsoncErrors(path, text);
    case "yaml":
      return yamlErrors(text);
    case "script":
      return syntaxErrors(path, text);
  }
}

function yamlErrors(text: string): string[] {
  const documents = parseAllDocuments(text);
  const errors = "empty" in documents ? documents.errors : documents.flatMap((doc) => doc.errors);
  return errors.map((error) => error.message.split("\n")[0]!);
}

function jsonErrors(text: string): string[] {
  try {
    JSON.parse(text);
    return [];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}

async function jsoncErrors(path: string, text: string): Promise<string[]> {
  const ts = await loadTypeScript();
  const { error } = ts.parseConfigFileTextToJson(path, text);
  return error ? [ts.flattenDiagnosticMessageText(error.messageText, " ")] : [];
}

/**
 * Syntax errors only, through the compiler's public API: a one-file program with no library and
 * no module resolution answers getSyntacticDiagnostics (the parser's diagnostics plus the JS-only
 * grammar checks) without type checking anything.
 */
export async function syntaxErrors(path: string, text: string): Promise<string[]> {
  const ts = await loadTypeScript();
  const extension = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase() ?? "ts";
  const fileName = `/${path.replace(/^\/+/, "")}`;
  const source = ts.createSourceFile(
    fileName,
    text,
    ts.ScriptTarget.Latest,
    false,
    ts.ScriptKind[SCRIPT_KINDS[extension] ?? "TS"],
  );
  const host: TypeScript.CompilerHost = {
    getSourceFile: (name) => (name === fileName ? source : undefined),
    getDefaultLibFileName: () => "lib.d.ts",
    writeFile: () => undefined,
    getCurrentDirectory: () => "/",
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    fileExists: (name) => name === fileName,
    readFile: () => undefined,
  };
  const program = ts.createProgram({
    rootNames: [fileName],
    options: { noLib: true, noResolve: true, allowJs: true, types: [], jsx: ts.JsxEmit.Preserve },
    host,
  });
  return program.getSyntacticDiagnostics(source).map((diagnostic) => {
    const where =
      diagnostic.start === undefined
        ? ""
        : `line ${source.getLineAndCharacterOfPosition(diagnostic.start).line + 1}: `;
    return where + ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
  });
}
