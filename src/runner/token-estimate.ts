// A tokenizer-free estimate of token counts, leaning high: num_ctx sized from it must hold the prompt.
import type { ChatMessage } from "./types.js";

/** Chat templates wrap each message in role markers, and the reply opens with one more. */
const TOKENS_PER_MESSAGE = 4;
const TOKENS_FOR_REPLY_PRIMER = 3;
/** BPE vocabularies hold most words whole; long identifiers split into pieces of about this size. */
const CHARS_PER_WORD_PIECE = 5;

/**
 * Counts like a BPE tokenizer does on prose and code: one token per word (more for long words and
 * identifiers), one per digit, one per pair of punctuation marks, one per line break or
 * indentation run, and one per character outside ASCII. Single spaces are free: tokenizers fold
 * them into the next word. Digits count one each because Qwen's tokenizer splits every number into
 * single digits (Llama 3's into groups of three): a diff full of numbers is far more tokens than
 * its words suggest.
 * Word pieces are counted short on purpose, so the estimate leans high; where it is still far
 * off, the runtime's comparison with the server's own count after the call says so.
 */
export function estimateTokens(text: string): number {
  let tokens = 0;
  let wordLength = 0;
  let spaceRun = 0;
  let markRun = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const kind = charKind(code);
    if (kind !== WORD && wordLength > 0) {
      tokens += wordTokens(wordLength);
      wordLength = 0;
    }
    if (kind !== SPACE && spaceRun > 0) {
      tokens += spaceTokens(spaceRun);
      spaceRun = 0;
    }
    if (kind !== MARK && markRun > 0) {
      tokens += markTokens(markRun);
      markRun = 0;
    }
    if (kind === WORD) wordLength++;
    else if (kind === SPACE) spaceRun++;
    else if (kind === MARK) markRun++;
    else if (kind === OTHER || kind === DIGIT) tokens++;
  }
  return tokens + wordTokens(wordLength) + spaceTokens(spaceRun) + markTokens(markRun);
}

/**
 * The estimate for a whole chat request, template overhead included; `estimate` counts each
 * message's text (a runtime's own `estimateTokens`, where agents size prompts for it).
 */
export function estimateMessageTokens(
  messages: readonly ChatMessage[],
  estimate: (text: string) => number = estimateTokens,
): number {
  let tokens = TOKENS_FOR_REPLY_PRIMER;
  for (const message of messages) tokens += TOKENS_PER_MESSAGE + estimate(message.content);
  return tokens;
}

const WORD = 0;
const SPACE = 1;
const MARK = 2;
const OTHER = 3;
const IGNORED = 4;
const DIGIT = 5;

function charKind(code: number): number {
  if (
    (code >= 97 && code <= 122) || // a-z
    (code >= 65 && code <= 90) || // A-Z
    code === 95 // _
  ) {
    return WORD;
  }
  if (code >= 48 && code <= 57) return DIGIT;
  if (code === 32 || code === 9) return SPACE;
  if (code === 13) return IGNORED;
  // Line breaks count one each; so does every code unit outside ASCII.
  if (code === 10 || code > 126) return OTHER;
  return MARK;
}

function wordTokens(length: number): number {
  return 1 + Math.floor((length - 1) / CHARS_PER_WORD_PIECE);
}

function spaceTokens(length: number): number {
  // One space joins the next word; an indentation run is a token of its own.
  return length >= 2 ? 1 : 0;
}

function markTokens(length: number): number {
  // Vocabularies hold common pairs of marks (`":`, `);`, `=>`, `{"`) as one token.
  return Math.ceil(length / 2);
}
