// Cyclomatic and cognitive complexity per function of a TypeScript or JavaScript file, from the
// compiler's own syntax tree (so JSX, decorators and every syntax the compiler knows are handled).
import type TypeScript from "typescript";
import { loadTypeScript } from "../../editing/typescript-compiler.js";
import type { FunctionComplexity } from "./complexity.js";
import { TOP_LEVEL } from "./function-unit.js";
import { countLines } from "./line-count.js";

type Compiler = typeof TypeScript;
/** Names of ts.ScriptKind members: the compiler is loaded only when a file is measured. */
export type ScriptKindName = keyof typeof TypeScript.ScriptKind;

const KINDS: Record<string, { language: string; scriptKind: ScriptKindName }> = {
  ts: { language: "typescript", scriptKind: "TS" },
  mts: { language: "typescript", scriptKind: "TS" },
  cts: { language: "typescript", scriptKind: "TS" },
  tsx: { language: "typescript", scriptKind: "TSX" },
  js: { language: "javascript", scriptKind: "JS" },
  mjs: { language: "javascript", scriptKind: "JS" },
  cjs: { language: "javascript", scriptKind: "JS" },
  jsx: { language: "javascript", scriptKind: "JSX" },
};

export function typeScriptKindOf(
  path: string,
): { language: string; scriptKind: ScriptKindName } | undefined {
  const extension = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : KINDS[extension];
}

type FunctionNode =
  | TypeScript.FunctionDeclaration
  | TypeScript.MethodDeclaration
  | TypeScript.ArrowFunction
  | TypeScript.FunctionExpression
  | TypeScript.GetAccessorDeclaration
  | TypeScript.SetAccessorDeclaration
  | TypeScript.ConstructorDeclaration;

/** The syntax kinds the walk tells apart by set lookup, built once the compiler is loaded. */
interface KindSets {
  functions: ReadonlySet<TypeScript.SyntaxKind>;
  loops: ReadonlySet<TypeScript.SyntaxKind>;
  logicalOperators: ReadonlySet<TypeScript.SyntaxKind>;
  logicalAssignments: ReadonlySet<TypeScript.SyntaxKind>;
}

let kindSets: KindSets | undefined;

function kindSetsOf(ts: Compiler): KindSets {
  const { SyntaxKind } = ts;
  kindSets ??= {
    functions: new Set([
      SyntaxKind.FunctionDeclaration,
      SyntaxKind.MethodDeclaration,
      SyntaxKind.ArrowFunction,
      SyntaxKind.FunctionExpression,
      SyntaxKind.GetAccessor,
      SyntaxKind.SetAccessor,
      SyntaxKind.Constructor,
    ]),
    loops: new Set([
      SyntaxKind.ForStatement,
      SyntaxKind.ForInStatement,
      SyntaxKind.ForOfStatement,
      SyntaxKind.WhileStatement,
      SyntaxKind.DoStatement,
    ]),
    logicalOperators: new Set([
      SyntaxKind.AmpersandAmpersandToken,
      SyntaxKind.BarBarToken,
      SyntaxKind.QuestionQuestionToken,
    ]),
    logicalAssignments: new Set([
      SyntaxKind.AmpersandAmpersandEqualsToken,
      SyntaxKind.BarBarEqualsToken,
      SyntaxKind.QuestionQuestionEqualsToken,
    ]),
  };
  return kindSets;
}

/** One function's (or the top level's) running totals while its body is walked. */
class Unit {
  cyclomatic = 1;
  cognitive = 0;
  constructor(
    readonly name: string,
    /** Name a call must use to be recursive; undefined where recursion cannot be told. */
    readonly selfName: string | undefined,
  ) {}
}

export async function measureTypeScript(
  path: string,
  content: string,
  scriptKind: ScriptKindName,
): Promise<{ units: FunctionComplexity[]; lines: number; codeLines: number }> {
  const ts = await loadTypeScript();
  const source = ts.createSourceFile(
    path,
    content,
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind[scriptKind],
  );
  const walker = new ComplexityWalker(ts, source);
  walker.measureTopLevel();
  return {
    units: walker.units,
    lines: countLines(content),
    codeLines: walker.codeLines.size,
  };
}

class ComplexityWalker {
  readonly units: FunctionComplexity[] = [];
  /** 0-based lines where a syntax node starts or ends: every line holding code has one. */
  readonly codeLines = new Set<number>();

  private readonly kinds: KindSets;

  constructor(
    private readonly ts: Compiler,
    private readonly source: TypeScript.SourceFile,
  ) {
    this.kinds = kindSetsOf(ts);
  }

  measureTopLevel(): void {
    const unit = new Unit(TOP_LEVEL, undefined);
    this.ts.forEachChild(this.source, (child) => this.visit(child, unit, 0, undefined));
    if (unit.cyclomatic > 1 || unit.cognitive > 0) {
      this.record(unit, this.source);
    }
  }

  private measureFunction(node: FunctionNode, enclosing: string | undefined): void {
    const body = node.body;
    if (!body) return; // overloads and abstract members have nothing to measure
    const name = functionName(this.ts, node, enclosing);
    const unit = new Unit(name, recursionName(this.ts, node));
    for (const parameter of node.parameters) this.visit(parameter, unit, 0, name);
    this.visit(body, unit, 0, name);
    this.record(unit, node);
  }

  private record(unit: Unit, node: TypeScript.Node): void {
    const line = this.lineOf(node.getStart(this.source));
    const endLine = this.lineOf(node.end);
    this.units.push({
      name: unit.name,
      line: line + 1,
      endLine: endLine + 1,
      lines: endLine - line + 1,
      cyclomatic: unit.cyclomatic,
      cognitive: unit.cognitive,
    });
  }

  private lineOf(position: number): number {
    return this.source.getLineAndCharacterOfPosition(position).line;
  }

  /** Walks `node` inside `unit` at `nesting`; `enclosing` names the function for nested names. */
  private visit(
    node: TypeScript.Node,
    unit: Unit,
    nesting: number,
    enclosing: string | undefined,
  ): void {
    const ts = this.ts;
    if (node.kind === ts.SyntaxKind.EndOfFileToken) return;
    this.codeLines.add(this.lineOf(node.getStart(this.source)));
    this.codeLines.add(this.lineOf(node.end));
    if (this.isFunctionNode(node)) {
      // A nested function is its own unit: its branches make it hard to read, not its parent.
      this.measureFunction(node, enclosing);
      return;
    }
    if (ts.isIfStatement(node)) return this.visitIf(node, unit, nesting, enclosing, false);
    if (ts.isConditionalExpression(node)) {
      unit.cyclomatic += 1;
      unit.cognitive += 1 + nesting;
      this.visit(node.condition, unit, nesting, enclosing);
      this.visit(node.whenTrue, unit, nesting + 1, enclosing);
      this.visit(node.whenFalse, unit, nesting + 1, enclosing);
      return;
    }
    if (ts.isSwitchStatement(node)) {
      unit.cognitive += 1 + nesting;
      this.visit(node.expression, unit, nesting, enclosing);
      this.visit(node.caseBlock, unit, nesting + 1, enclosing);
      return;
    }
    if (ts.isCaseClause(node)) {
      unit.cyclomatic += 1;
      return this.visitChildren(node, unit, nesting, enclosing);
    }
    if (this.isLoop(node)) {
      unit.cyclomatic += 1;
      unit.cognitive += 1 + nesting;
      return this.visitLoop(node, unit, nesting, enclosing);
    }
    if (ts.isCatchClause(node)) {
      unit.cyclomatic += 1;
      unit.cognitive += 1 + nesting;
      return this.visitChildren(node, unit, nesting + 1, enclosing);
    }
    if ((ts.isBreakStatement(node) || ts.isContinueStatement(node)) && node.label) {
      unit.cognitive += 1;
      return;
    }
    if (ts.isBinaryExpression(node)) return this.visitBinary(node, unit, nesting, enclosing);
    if (ts.isCallExpression(node) && unit.selfName && calleeName(ts, node) === unit.selfName) {
      unit.cognitive += 1;
    }
    this.visitChildren(node, unit, nesting, enclosing);
  }

  // Kind lookups, not a chain of ts.isX calls: the walk visits every node of every file.
  private isFunctionNode(node: TypeScript.Node): node is FunctionNode {
    return this.kinds.functions.has(node.kind);
  }

  private isLoop(node: TypeScript.Node): node is TypeScript.IterationStatement {
    return this.kinds.loops.has(node.kind);
  }

  private visitChildren(
    node: TypeScript.Node,
    unit: Unit,
    nesting: number,
    enclosing: string | undefined,
  ): void {
    this.ts.forEachChild(node, (child) => this.visit(child, unit, nesting, enclosing));
  }

  private visitIf(
    node: TypeScript.IfStatement,
    unit: Unit,
    nesting: number,
    enclosing: string | undefined,
    isElseIf: boolean,
  ): void {
    unit.cyclomatic += 1;
    // `else if` is a hybrid increment: +1, no nesting penalty, and its body sits where the if's does.
    unit.cognitive += isElseIf ? 1 : 1 + nesting;
    this.visit(node.expression, unit, nesting, enclosing);
    this.visit(node.thenStatement, unit, nesting + 1, enclosing);
    const otherwise = node.elseStatement;
    if (!otherwise) return;
    if (this.ts.isIfStatement(otherwise)) {
      this.visitIf(otherwise, unit, nesting, enclosing, true);
      return;
    }
    unit.cognitive += 1;
    this.visit(otherwise, unit, nesting + 1, enclosing);
  }

  private visitLoop(
    node: TypeScript.IterationStatement,
    unit: Unit,
    nesting: number,
    enclosing: string | undefined,
  ): void {
    this.ts.forEachChild(node, (child) => {
      const level = child === node.statement ? nesting + 1 : nesting;
      this.visit(child, unit, level, enclosing);
    });
  }

  private visitBinary(
    node: TypeScript.BinaryExpression,
    unit: Unit,
    nesting: number,
    enclosing: string | undefined,
  ): void {
    const operator = node.operatorToken.kind;
    if (this.kinds.logicalAssignments.has(operator)) unit.cyclomatic += 1;
    if (!this.kinds.logicalOperators.has(operator)) {
      return this.visitChildren(node, unit, nesting, enclosing);
    }
    // A whole run of logical operators is scored once, where it starts: `a && b && c` is +1,
    // `a && b || c` is +2 (SonarSource: each change of operator in the sequence costs one).
    const operators: TypeScript.SyntaxKind[] = [];
    const operands: TypeScript.Expression[] = [];
    flattenLogical(this.ts, node, operators, operands);
    unit.cyclomatic += operators.length;
    unit.cognitive += 1 + operators.filter((op, i) => i > 0 && op !== operators[i - 1]).length;
    for (const operand of operands) this.visit(operand, unit, nesting, enclosing);
  }
}

/** In-order operators and non-logical operands of a logical expression, through parentheses. */
function flattenLogical(
  ts: Compiler,
  expression: TypeScript.Expression,
  operators: TypeScript.SyntaxKind[],
  operands: TypeScript.Expression[],
): void {
  let inner = expression;
  while (ts.isParenthesizedExpression(inner)) inner = inner.expression;
  const { logicalOperators } = kindSetsOf(ts);
  if (ts.isBinaryExpression(inner) && logicalOperators.has(inner.operatorToken.kind)) {
    flattenLogical(ts, inner.left, operators, operands);
    operators.push(inner.operatorToken.kind);
    flattenLogical(ts, inner.right, operators, operands);
    return;
  }
  operands.push(expression);
}

function calleeName(ts: Compiler, call: TypeScript.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (
    ts.isPropertyAccessExpression(callee) &&
    callee.expression.kind === ts.SyntaxKind.ThisKeyword
  ) {
    return `this.${callee.name.text}`;
  }
  return undefined;
}

/** How the function calls itself: `name(…)` for functions, `this.name(…)` for methods. */
function recursionName(ts: Compiler, node: FunctionNode): string | undefined {
  if (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) return node.name?.text;
  if (ts.isMethodDeclaration(node) && ts.isIdentifier(node.name)) return `this.${node.name.text}`;
  if (ts.isArrowFunction(node) && ts.isVariableDeclaration(node.parent)) {
    return ts.isIdentifier(node.parent.name) ? node.parent.name.text : undefined;
  }
  return undefined;
}

function propertyName(
  ts: Compiler,
  name: TypeScript.PropertyName | TypeScript.BindingName,
): string {
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return "[computed]";
}

/** Name of the class or object literal a member belongs to, where it has one. */
function ownerName(ts: Compiler, member: TypeScript.Node): string | undefined {
  const owner = member.parent;
  if (ts.isClassLike(owner)) return owner.name?.text ?? "(class)";
  if (ts.isObjectLiteralExpression(owner)) {
    const holder = owner.parent;
    if (ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder)) {
      return propertyName(ts, holder.name);
    }
  }
  return undefined;
}

function memberName(ts: Compiler, node: TypeScript.Node, name: string): string {
  const owner = ownerName(ts, node);
  return owner ? `${owner}.${name}` : name;
}

function ownName(ts: Compiler, node: FunctionNode): string {
  if (ts.isConstructorDeclaration(node)) return memberName(ts, node, "constructor");
  if (ts.isGetAccessorDeclaration(node)) {
    return `get ${memberName(ts, node, propertyName(ts, node.name))}`;
  }
  if (ts.isSetAccessorDeclaration(node)) {
    return `set ${memberName(ts, node, propertyName(ts, node.name))}`;
  }
  if (ts.isMethodDeclaration(node)) return memberName(ts, node, propertyName(ts, node.name));
  if (ts.isFunctionDeclaration(node)) return node.name?.text ?? "default";
  if (ts.isFunctionExpression(node) && node.name) return node.name.text;
  return expressionName(ts, node);
}

/** Arrows and anonymous function expressions take the name of what holds them. */
function expressionName(
  ts: Compiler,
  node: TypeScript.ArrowFunction | TypeScript.FunctionExpression,
): string {
  const holder = node.parent;
  if (ts.isVariableDeclaration(holder)) return propertyName(ts, holder.name);
  if (ts.isPropertyAssignment(holder)) return memberName(ts, holder, propertyName(ts, holder.name));
  if (ts.isPropertyDeclaration(holder)) {
    return memberName(ts, holder, propertyName(ts, holder.name));
  }
  if (ts.isExportAssignment(holder)) return "default";
  if (ts.isCallExpression(holder) || ts.isNewExpression(holder)) {
    const callee = holder.expression.getText().replace(/\s+/g, "");
    return `${callee.length > 40 ? `${callee.slice(0, 39)}…` : callee} callback`;
  }
  if (ts.isJsxExpression(holder)) {
    const attribute = holder.parent;
    if (ts.isJsxAttribute(attribute)) return `${attribute.name.getText()} handler`;
  }
  return "(anonymous)";
}

function functionName(ts: Compiler, node: FunctionNode, enclosing: string | undefined): string {
  const own = ownName(ts, node);
  return enclosing ? `${enclosing} › ${own}` : own;
}
