// The language families the complexity proxy knows: how each writes comments and strings, which
// words branch, and what a function header looks like.

export interface ProxyLanguage {
  /** Family name, shown in the ranking (`python`, `go`, `rust`, `c-family`, `ruby`, `php`). */
  name: string;
  lineComments: readonly string[];
  /** Block comments (and Python's triple-quoted strings, which are docstrings in practice). */
  blockComments: readonly (readonly [open: string, close: string])[];
  /** Quote characters of one-line strings. */
  quotes: readonly string[];
  /** Rust's `'a` lifetimes are not strings: only `'x'` and `'\n'` are char literals there. */
  singleQuoteIsCharLiteral?: boolean;
  /** Words that open a structure: +1, plus the nesting, to cognitive; +1 to cyclomatic. */
  structures: readonly string[];
  /** Words that open a structure counted once for cognitive only (`switch`, whose cases count). */
  switches: readonly string[];
  /** Words of `else if`, counted as a branch (+1 both) without a nesting penalty. */
  elseIfs: readonly string[];
  /** Words of `else` (+1 cognitive). */
  elses: readonly string[];
  /** Case labels: +1 cyclomatic each. */
  cases: readonly string[];
  /** Rust match arms (`=>`) count as cases. */
  arrowCases?: boolean;
  /** Boolean operators; a run of like operators on a line is +1 cognitive, each one +1 cyclomatic. */
  booleanOperators: readonly string[];
  /** Lines that close a block at the opener's indentation (`}`, `end`). */
  closers: RegExp;
  /** A function header; the capture groups that matched, joined with `.`, are its name. */
  functionHeader: RegExp;
  /** Ruby's `=begin` … `=end` block comments, which only count at the start of a line. */
  lineStartBlock?: readonly [open: string, close: string];
}

const C_STYLE_COMMENTS = {
  lineComments: ["//"],
  blockComments: [["/*", "*/"]] as const,
};
const BRACE_CLOSER = /^[}\])]/;
const SYMBOL_BOOLEANS = ["&&", "||"];

const PYTHON: ProxyLanguage = {
  name: "python",
  lineComments: ["#"],
  blockComments: [
    ['"""', '"""'],
    ["'''", "'''"],
  ],
  quotes: ['"', "'"],
  structures: ["if", "for", "while", "except"],
  switches: ["match"],
  elseIfs: ["elif"],
  elses: ["else"],
  cases: ["case"],
  booleanOperators: ["and", "or"],
  closers: /^[\])}]/,
  functionHeader: /^(?:async\s+)?def\s+([A-Za-z_]\w*)/,
};

const GO: ProxyLanguage = {
  name: "go",
  ...C_STYLE_COMMENTS,
  quotes: ['"', "'", "`"],
  structures: ["if", "for"],
  switches: ["switch", "select"],
  elseIfs: ["else if"],
  elses: ["else"],
  cases: ["case"],
  booleanOperators: SYMBOL_BOOLEANS,
  closers: BRACE_CLOSER,
  // The receiver's name needs a blank after it and its type ends where word characters do, so
  // no two parts can share a run of letters (`func (aaa…` once took seconds per line).
  functionHeader: /^func\s+(?:\(\s*(?:\w+\s+)?\*?\s*([\w.]+)(?![\w.])[^)]*\)\s*)?([A-Za-z_]\w*)/,
};

const RUST: ProxyLanguage = {
  name: "rust",
  ...C_STYLE_COMMENTS,
  quotes: ['"'],
  singleQuoteIsCharLiteral: true,
  structures: ["if", "for", "while", "loop"],
  switches: ["match"],
  elseIfs: ["else if"],
  elses: ["else"],
  cases: [],
  arrowCases: true,
  booleanOperators: SYMBOL_BOOLEANS,
  closers: BRACE_CLOSER,
  functionHeader:
    /^(?:pub(?:\([^)]*\))?\s+)?(?:default\s+)?(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?(?:extern\s+"[^"]*"\s+)?fn\s+([A-Za-z_]\w*)/,
};

/** Java, Kotlin, C#, C, C++, Scala, Swift, Dart: braces, `case` labels, `catch`. */
const C_FAMILY: ProxyLanguage = {
  name: "c-family",
  ...C_STYLE_COMMENTS,
  quotes: ['"', "'"],
  structures: ["if", "for", "foreach", "while", "do", "catch", "guard"],
  switches: ["switch", "when"],
  elseIfs: ["else if"],
  elses: ["else"],
  cases: ["case"],
  booleanOperators: SYMBOL_BOOLEANS,
  closers: BRACE_CLOSER,
  // `fun`/`func` headers (Kotlin, Swift), or `<type or modifier> name(` not ending in `;`
  // (a call or a declaration) and not opened by a statement keyword.
  functionHeader:
    /^(?:(?:[\w@]+\s+)*(?:fun|func)\s+(?:<[^>]*>\s*)?(?:[\w.]+\.)?([A-Za-z_]\w*)|(?!(?:if|for|foreach|while|switch|catch|return|else|do|new|throw|case|using|lock|synchronized|await|yield|delete|goto|sizeof|typeof|when)\b)(?:[\w$<>[\],.*&:?~]+\s+)+[*&]*(?:[\w$]+::)*([A-Za-z_~][\w$]*)\s*\((?![^;]*;\s*$))/,
};

const RUBY: ProxyLanguage = {
  name: "ruby",
  lineComments: ["#"],
  blockComments: [],
  lineStartBlock: ["=begin", "=end"],
  quotes: ['"', "'"],
  structures: ["if", "unless", "while", "until", "for", "rescue"],
  switches: ["case"],
  elseIfs: ["elsif"],
  elses: ["else"],
  cases: ["when"],
  booleanOperators: ["&&", "||", "and", "or"],
  closers: /^(?:end\b|[}\])])/,
  functionHeader: /^def\s+(?:self\.)?([\w?!=<>+\-*/[\]]+)/,
};

const PHP: ProxyLanguage = {
  name: "php",
  lineComments: ["//", "#"],
  blockComments: [["/*", "*/"]],
  quotes: ['"', "'"],
  structures: ["if", "for", "foreach", "while", "do", "catch"],
  switches: ["switch", "match"],
  elseIfs: ["elseif", "else if"],
  elses: ["else"],
  cases: ["case"],
  booleanOperators: ["&&", "||", "and", "or"],
  closers: BRACE_CLOSER,
  functionHeader:
    /^(?:(?:public|private|protected|static|final|abstract)\s+)*function\s+&?([A-Za-z_]\w*)/,
};

const BY_EXTENSION: Record<string, ProxyLanguage> = {};
function register(language: ProxyLanguage, extensions: string): void {
  for (const extension of extensions.split(",")) BY_EXTENSION[extension] = language;
}
register(PYTHON, "py,pyw");
register(GO, "go");
register(RUST, "rs");
register(C_FAMILY, "java,kt,kts,cs,c,h,cc,cpp,cxx,c++,hpp,hh,hxx,scala,swift,dart,groovy");
register(RUBY, "rb,rake");
register(PHP, "php");

export function proxyLanguageOf(path: string): ProxyLanguage | undefined {
  const extension = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : BY_EXTENSION[extension];
}
