// A file's outline: the signatures of its top-level declarations, bodies left out. TypeScript and
// JavaScript through the TypeScript compiler; other languages by a line tagger (`def`, `class`,
// `func`, `fn`, `pub`…), one pass over the lines.
import type TypeScript from "typescript";
import { loadTypeScript } from "../editing/typescript-compiler.js";

/** Longest signature shown; a longer one is cut with an ellipsis. */
const MAX_SIGNATURE_CHARS = 200;

export interface OutlineOptions {
  /** Only what other files can use (exported, `pub`, public); false for the file being edited. */
  exportedOnly: boolean;
}

const TS_EXTENSIONS = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i;

/** The signatures of a file's declarations, each one line, members indented under their class. */
export async function fileOutline(
  path: string,
  content: string,
  options: OutlineOptions,
): Promise<string[]> {
  if (TS_EXTENSIONS.test(path))
    return typeScriptOutline(await loadTypeScript(), path, content, options);
  return taggedOutline(path, content, options);
}

function typeScriptOutline(
  ts: typeof TypeScript,
  path: string,
  content: string,
  options: OutlineOptions,
): string[] {
  const source = ts.createSourceFile(
    path,
    content,
    ts.ScriptTarget.Latest,
    true,
    scriptKind(ts, path),
  );
  const text = (from: number, to: number) => oneLine(content.slice(from, to));
  const lines: string[] = [];
  for (const statement of source.statements) {
    const exported = isExported(ts, statement);
    if (ts.isExportDeclaration(statement) || ts.isExportAssignment(statement)) {
      lines.push(oneLine(statement.getText(source)));
      continue;
    }
    if (options.exportedOnly && !exported) continue;
    const start = statement.getStart(source);
    if (ts.isFunctionDeclaration(statement)) {
      lines.push(text(start, statement.body?.getStart(source) ?? statement.end));
    } else if (ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement)) {
      lines.push(text(start, statement.members.pos).replace(/\s*\{$/, ""));
      for (const member of statement.members) {
        const signature = memberSignature(ts, source, member);
        if (signature !== undefined) lines.push(`  ${signature}`);
      }
    } else if (ts.isVariableStatement(statement)) {
      lines.push(...variableSignatures(ts, source, statement, exported));
    } else if (ts.isModuleDeclaration(statement)) {
      lines.push(text(start, statement.body?.getStart(source) ?? statement.end));
    } else if (ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement)) {
      lines.push(oneLine(statement.getText(source)));
    }
  }
  return lines.map(bounded);
}

function scriptKind(ts: typeof TypeScript, path: string): TypeScript.ScriptKind {
  if (/\.tsx$/i.test(path)) return ts.ScriptKind.TSX;
  if (/\.jsx$/i.test(path)) return ts.ScriptKind.JSX;
  if (/\.[mc]?js$/i.test(path)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function isExported(ts: typeof TypeScript, node: TypeScript.Node): boolean {
  const modifiers = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
  return modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword) ?? false;
}

/** A class or interface member other files can reach: no private, protected or #private ones. */
function memberSignature(
  ts: typeof TypeScript,
  source: TypeScript.SourceFile,
  member: TypeScript.ClassElement | TypeScript.TypeElement,
): string | undefined {
  const modifiers = ts.canHaveModifiers(member) ? ts.getModifiers(member) : undefined;
  const hidden = modifiers?.some(
    (modifier) =>
      modifier.kind === ts.SyntaxKind.PrivateKeyword ||
      modifier.kind === ts.SyntaxKind.ProtectedKeyword,
  );
  if (hidden || (member.name !== undefined && ts.isPrivateIdentifier(member.name)))
    return undefined;
  const start = member.getStart(source);
  const content = source.text;
  if (
    ts.isMethodDeclaration(member) ||
    ts.isConstructorDeclaration(member) ||
    ts.isGetAccessorDeclaration(member) ||
    ts.isSetAccessorDeclaration(member)
  ) {
    return oneLine(content.slice(start, member.body?.getStart(source) ?? member.end)).replace(
      /;$/,
      "",
    );
  }
  if (ts.isPropertyDeclaration(member)) {
    const end = member.initializer ? member.initializer.getStart(source) : member.end;
    return oneLine(content.slice(start, end)).replace(/\s*=$/, "").replace(/;$/, "");
  }
  if (ts.isClassStaticBlockDeclaration(member) || ts.isSemicolonClassElement(member))
    return undefined;
  return oneLine(member.getText(source)).replace(/[;,]$/, "");
}

/** `export const name: Type`, or an arrow function's parameters and return type. */
function variableSignatures(
  ts: typeof TypeScript,
  source: TypeScript.SourceFile,
  statement: TypeScript.VariableStatement,
  exported: boolean,
): string[] {
  const list = statement.declarationList;
  const keyword =
    list.flags & ts.NodeFlags.Const ? "const" : list.flags & ts.NodeFlags.Let ? "let" : "var";
  const prefix = `${exported ? "export " : ""}${keyword}`;
  return list.declarations.map((declaration) => {
    const name = declaration.name.getText(source);
    const type = declaration.type ? `: ${oneLine(declaration.type.getText(source))}` : "";
    const init = declaration.initializer;
    if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
      const head = oneLine(source.text.slice(init.getStart(source), init.body.getStart(source)));
      return `${prefix} ${name}${type} = ${head}`;
    }
    return `${prefix} ${name}${type}`;
  });
}

interface TaggerRule {
  /** Lines that declare something. */
  declares: RegExp;
  /** Of those, what other files can use. */
  exported: (line: string) => boolean;
}

const PYTHON: TaggerRule = {
  // Top level and one level in (a class's methods); functions nested in functions are not API.
  declares: /^( {0,4}|\t?)(async\s+def|def|class)\s+\w/,
  exported: (line) => !/^\s*(async\s+def|def|class)\s+_(?!_init__)/.test(line),
};

const TAGGERS: readonly { extensions: RegExp; rule: TaggerRule }[] = [
  { extensions: /\.pyi?$/i, rule: PYTHON },
  {
    extensions: /\.go$/i,
    rule: {
      declares: /^(func|type)\s/,
      exported: (line) => /^(func(\s*\([^)]*\))?|type)\s+[A-Z]/.test(line),
    },
  },
  {
    extensions: /\.rs$/i,
    rule: {
      declares:
        /^(\s{0,4})(pub(\([^)]*\))?\s+)?((async|const|unsafe|extern\s+"C")\s+)*(fn|struct|enum|trait|type|mod|impl|macro_rules!)\b/,
      exported: (line) => /^\s*(pub\b|impl\b|macro_rules!)/.test(line),
    },
  },
  {
    extensions: /\.(java|kt|kts|cs|scala|swift|php)$/i,
    rule: {
      declares:
        /^\s{0,8}((public|protected|private|internal|open|abstract|final|static|sealed|data|override|suspend|export)\s+)*(class|interface|enum|record|struct|object|trait|fun|func|function|def)\b|^\s{0,8}(public|protected)\s+[\w<>[\],.? ]+\s+\w+\s*\(/,
      exported: (line) => !/^\s*(private|internal)\b/.test(line),
    },
  },
  {
    extensions: /\.rb$/i,
    rule: {
      declares: /^\s*(def|class|module)\s/,
      exported: (line) => !/^\s*def\s+_/.test(line),
    },
  },
];

const FALLBACK: TaggerRule = {
  declares: /^(export|pub|def|class|func|fn|function|interface|struct|type|module|public)\b/,
  exported: () => true,
};

/** Declaration lines in one pass: a signature that spans lines is joined until its brackets close. */
function taggedOutline(path: string, content: string, options: OutlineOptions): string[] {
  const rule = TAGGERS.find((tagger) => tagger.extensions.test(path))?.rule ?? FALLBACK;
  const lines = content.split(/\r?\n/);
  const outline: string[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    if (!rule.declares.test(line)) continue;
    if (options.exportedOnly && !rule.exported(line)) continue;
    let signature = line;
    for (
      let more = 1;
      more <= 5 && unbalanced(signature) && index + more < lines.length;
      more += 1
    ) {
      signature += ` ${lines[index + more]!.trim()}`;
    }
    const indent = /^\s+/.test(line) ? "  " : "";
    outline.push(bounded(`${indent}${oneLine(signature).replace(/\s*[{:]$/, "")}`));
  }
  return outline;
}

function unbalanced(text: string): boolean {
  let depth = 0;
  for (const char of text) {
    if (char === "(" || char === "[") depth += 1;
    else if (char === ")" || char === "]") depth -= 1;
  }
  return depth > 0;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function bounded(line: string): string {
  return line.length > MAX_SIGNATURE_CHARS ? `${line.slice(0, MAX_SIGNATURE_CHARS - 1)}…` : line;
}
