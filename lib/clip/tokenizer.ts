// A word-level tokenizer over the caption vocabulary, and the bag of words the text encoder reads.
import { captionVocabulary, splitWords } from './captions';

export interface TokenizeOptions {
  /**
   * 'error' (default): any unknown word is an error naming it.
   * 'ignore': unknown words are dropped, but a text with no known word at all is still an error.
   */
  unknown?: 'error' | 'ignore';
}

export interface Tokenizer {
  vocab: string[];
  /** Token ids of one text. */
  encode(text: string, opts?: TokenizeOptions): number[];
  /**
   * Mean pooling input: row i holds, for each vocabulary word, its count in text i divided by
   * the number of tokens. Multiplying it by an embedding table averages the tokens' embeddings.
   */
  bagOfWords(texts: string[], opts?: TokenizeOptions): Float32Array;
}

export function tokenizer(vocab: string[] = captionVocabulary()): Tokenizer {
  if (vocab.length === 0) throw new Error('tokenizer: empty vocabulary');
  const index = new Map(vocab.map((w, i) => [w, i]));
  if (index.size !== vocab.length) throw new Error('tokenizer: vocabulary has duplicate words');
  const encode = (text: string, opts: TokenizeOptions = {}): number[] => {
    if (typeof text !== 'string') throw new Error(`tokenizer: expected a string, got ${typeof text}`);
    const words = splitWords(text);
    const ids: number[] = [];
    const unknown: string[] = [];
    for (const w of words) {
      const id = index.get(w);
      if (id === undefined) unknown.push(w);
      else ids.push(id);
    }
    if (unknown.length > 0 && (opts.unknown ?? 'error') === 'error') {
      throw new Error(`tokenizer: unknown word${unknown.length > 1 ? 's' : ''} ${unknown.map((w) => `"${w}"`).join(', ')} in "${text}"; the vocabulary has ${vocab.length} words: ${vocab.join(' ')}`);
    }
    if (ids.length === 0) {
      throw new Error(`tokenizer: "${text}" has no known word${words.length ? ` (unknown: ${words.join(', ')})` : ''}; the vocabulary has ${vocab.length} words: ${vocab.join(' ')}`);
    }
    return ids;
  };
  return {
    vocab,
    encode,
    bagOfWords(texts, opts) {
      if (!Array.isArray(texts) || texts.length === 0) throw new Error('bagOfWords: expected a non-empty array of strings');
      const V = vocab.length;
      const out = new Float32Array(texts.length * V);
      texts.forEach((t, i) => {
        const ids = encode(t, opts);
        for (const id of ids) out[i * V + id] += 1 / ids.length;
      });
      return out;
    },
  };
}
