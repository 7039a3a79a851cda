// A tiny random-weight llama model in GGUF (F32, about 0.5 MB), written by the tests so no model
// has to be downloaded: 2 layers, embedding 64, 4 heads, feed-forward 128, context 32768, and a
// `llama` tokenizer of <unk> <s> </s>, the 256 byte-fallback tokens and printable ASCII.
//
// Its replies are noise. A plain one rarely closes its JSON before the output limit (which is
// what the cut-off tests want); with `closingBonus` one embedding channel carries a constant that
// the output layer turns into a bonus on the logits of `"`, `]`, `}`, `,`, digits and `</s>`, so
// grammar-bound replies end soon.
import { writeFileSync } from "node:fs";

export interface TinyModelOptions {
  /**
   * Logit bonus of the closing tokens through the bonus channel: positive ends replies soon,
   * 0 is a plain random model, negative one that never closes a string (the cut-off path).
   */
  closingBonus: number;
  seed?: number;
}

const N_EMBD = 64;
const N_HEAD = 4;
const N_FF = 128;
const N_LAYER = 2;
export const TINY_CONTEXT_LENGTH = 32768;
const ALIGNMENT = 32;
/** A bonus that makes grammar-bound replies end within a few hundred tokens. */
export const CLOSING_BONUS = 12;

const enum ValueType {
  Uint32 = 4,
  Int32 = 5,
  Float32 = 6,
  String = 8,
  Array = 9,
  Bool = 7,
}

const TOKEN_NORMAL = 1;
const TOKEN_UNKNOWN = 2;
const TOKEN_CONTROL = 3;
const TOKEN_BYTE = 6;

/** The vocabulary: ids 0–2 special, 3–258 bytes, then printable ASCII (space as SentencePiece's ▁). */
export function tinyVocabulary(): { tokens: string[]; types: number[] } {
  const tokens = ["<unk>", "<s>", "</s>"];
  const types = [TOKEN_UNKNOWN, TOKEN_CONTROL, TOKEN_CONTROL];
  for (let byte = 0; byte < 256; byte++) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, "0")}>`);
    types.push(TOKEN_BYTE);
  }
  for (let code = 0x20; code < 0x7f; code++) {
    tokens.push(code === 0x20 ? "\u2581" : String.fromCharCode(code));
    types.push(TOKEN_NORMAL);
  }
  return { tokens, types };
}

/** Writes the model to `path`. */
export function writeTinyModel(path: string, options: TinyModelOptions): void {
  writeFileSync(path, tinyModel(options));
}

export function tinyModel({ closingBonus, seed = 1 }: TinyModelOptions): Buffer {
  const { tokens, types } = tinyVocabulary();
  const random = mulberry32(seed);
  const noise = (count: number, scale = 0.08) =>
    Float32Array.from({ length: count }, () => (random() * 2 - 1) * scale);
  const ones = (count: number) => new Float32Array(count).fill(1);

  const embeddings = noise(N_EMBD * tokens.length);
  const output = noise(N_EMBD * tokens.length);
  if (closingBonus !== 0) {
    // Channel 0 holds a constant in every embedding, no layer writes to it, and only the
    // closing tokens read it in the output layer: a constant bonus on their logits.
    // Closers win over separators and digits, so strings and arrays end as soon as the grammar
    // lets them and a near-greedy sampler cannot loop on commas.
    const closing = new Set(['"', "]", "}"]);
    const separating = new Set([",", ..."0123456789"]);
    for (let id = 0; id < tokens.length; id++) {
      const token = tokens[id]!;
      embeddings[id * N_EMBD] = 1;
      output[id * N_EMBD] =
        closing.has(token) || id === 2
          ? closingBonus
          : separating.has(token) && closingBonus > 0
            ? closingBonus / 2
            : 0;
    }
  }
  const tensors: Tensor[] = [
    { name: "token_embd.weight", dims: [N_EMBD, tokens.length], data: embeddings },
    { name: "output_norm.weight", dims: [N_EMBD], data: ones(N_EMBD) },
    { name: "output.weight", dims: [N_EMBD, tokens.length], data: output },
  ];
  for (let layer = 0; layer < N_LAYER; layer++) {
    const block = `blk.${layer}`;
    tensors.push(
      { name: `${block}.attn_norm.weight`, dims: [N_EMBD], data: ones(N_EMBD) },
      { name: `${block}.attn_q.weight`, dims: [N_EMBD, N_EMBD], data: noise(N_EMBD * N_EMBD) },
      { name: `${block}.attn_k.weight`, dims: [N_EMBD, N_EMBD], data: noise(N_EMBD * N_EMBD) },
      { name: `${block}.attn_v.weight`, dims: [N_EMBD, N_EMBD], data: noise(N_EMBD * N_EMBD) },
      {
        name: `${block}.attn_output.weight`,
        dims: [N_EMBD, N_EMBD],
        data: noise(N_EMBD * N_EMBD),
      },
      { name: `${block}.ffn_norm.weight`, dims: [N_EMBD], data: ones(N_EMBD) },
      { name: `${block}.ffn_gate.weight`, dims: [N_EMBD, N_FF], data: noise(N_EMBD * N_FF) },
      { name: `${block}.ffn_up.weight`, dims: [N_EMBD, N_FF], data: noise(N_EMBD * N_FF) },
      {
        name: `${block}.ffn_down.weight`,
        dims: [N_FF, N_EMBD],
        data: noise(N_FF * N_EMBD),
      },
    );
  }
  // No layer writes to channel 0: it is the first row of each matrix that feeds the residual
  // stream (ggml's innermost dimension is the input, so output channel 0 is the first row).
  if (closingBonus !== 0) {
    for (let layer = 0; layer < N_LAYER; layer++) {
      const down = tensors.find((t) => t.name === `blk.${layer}.ffn_down.weight`)!;
      down.data.set(new Float32Array(N_FF), 0);
      const attnOut = tensors.find((t) => t.name === `blk.${layer}.attn_output.weight`)!;
      attnOut.data.set(new Float32Array(N_EMBD), 0);
    }
  }

  const metadata: [string, Value][] = [
    ["general.architecture", str("llama")],
    ["general.name", str(`symphony-tiny-closing-${closingBonus}`)],
    ["general.alignment", u32(ALIGNMENT)],
    ["llama.context_length", u32(TINY_CONTEXT_LENGTH)],
    ["llama.embedding_length", u32(N_EMBD)],
    ["llama.block_count", u32(N_LAYER)],
    ["llama.feed_forward_length", u32(N_FF)],
    ["llama.attention.head_count", u32(N_HEAD)],
    ["llama.attention.head_count_kv", u32(N_HEAD)],
    ["llama.rope.dimension_count", u32(N_EMBD / N_HEAD)],
    ["llama.attention.layer_norm_rms_epsilon", f32(1e-5)],
    ["tokenizer.ggml.model", str("llama")],
    [
      "tokenizer.ggml.tokens",
      { type: ValueType.Array, elementType: ValueType.String, values: tokens },
    ],
    [
      "tokenizer.ggml.scores",
      { type: ValueType.Array, elementType: ValueType.Float32, values: tokens.map(() => 0) },
    ],
    [
      "tokenizer.ggml.token_type",
      { type: ValueType.Array, elementType: ValueType.Int32, values: types },
    ],
    ["tokenizer.ggml.unknown_token_id", u32(0)],
    ["tokenizer.ggml.bos_token_id", u32(1)],
    ["tokenizer.ggml.eos_token_id", u32(2)],
    ["tokenizer.ggml.add_bos_token", { type: ValueType.Bool, value: false }],
  ];
  return encode(metadata, tensors);
}

interface Tensor {
  name: string;
  /** ggml order: the innermost dimension first. */
  dims: number[];
  data: Float32Array;
}

type Value =
  | { type: ValueType.Uint32 | ValueType.Int32 | ValueType.Float32; value: number }
  | { type: ValueType.String; value: string }
  | { type: ValueType.Bool; value: boolean }
  | { type: ValueType.Array; elementType: ValueType; values: (string | number)[] };

const str = (value: string): Value => ({ type: ValueType.String, value });
const u32 = (value: number): Value => ({ type: ValueType.Uint32, value });
const f32 = (value: number): Value => ({ type: ValueType.Float32, value });

function encode(metadata: [string, Value][], tensors: Tensor[]): Buffer {
  const parts: Buffer[] = [];
  const u32b = (n: number) => le((b) => b.writeUInt32LE(n), 4);
  const u64b = (n: number) => le((b) => b.writeBigUInt64LE(BigInt(n)), 8);
  const stringb = (s: string) => {
    const bytes = Buffer.from(s, "utf8");
    return Buffer.concat([u64b(bytes.length), bytes]);
  };
  const scalar = (type: ValueType, value: string | number | boolean): Buffer => {
    switch (type) {
      case ValueType.Uint32:
        return u32b(value as number);
      case ValueType.Int32:
        return le((b) => b.writeInt32LE(value as number), 4);
      case ValueType.Float32:
        return le((b) => b.writeFloatLE(value as number), 4);
      case ValueType.String:
        return stringb(value as string);
      case ValueType.Bool:
        return Buffer.from([value ? 1 : 0]);
      default:
        throw new TypeError(`no encoder for GGUF value type ${type}`);
    }
  };

  parts.push(Buffer.from("GGUF", "ascii"), u32b(3), u64b(tensors.length), u64b(metadata.length));
  for (const [key, value] of metadata) {
    parts.push(stringb(key), u32b(value.type));
    if (value.type === ValueType.Array) {
      parts.push(u32b(value.elementType), u64b(value.values.length));
      for (const item of value.values) parts.push(scalar(value.elementType, item));
    } else {
      parts.push(scalar(value.type, value.value));
    }
  }
  let offset = 0;
  for (const tensor of tensors) {
    parts.push(stringb(tensor.name), u32b(tensor.dims.length));
    for (const dim of tensor.dims) parts.push(u64b(dim));
    parts.push(u32b(0 /* F32 */), u64b(offset));
    offset = align(offset + tensor.data.byteLength);
  }
  const header = Buffer.concat(parts);
  const data: Buffer[] = [header, Buffer.alloc(align(header.length) - header.length)];
  for (const tensor of tensors) {
    const bytes = Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
    data.push(bytes, Buffer.alloc(align(bytes.length) - bytes.length));
  }
  return Buffer.concat(data);
}

function le(write: (buffer: Buffer) => void, size: number): Buffer {
  const buffer = Buffer.alloc(size);
  write(buffer);
  return buffer;
}

function align(n: number): number {
  return Math.ceil(n / ALIGNMENT) * ALIGNMENT;
}

/** A small seeded generator: the same model every run. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
