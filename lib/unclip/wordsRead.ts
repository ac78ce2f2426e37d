// What the text encoder reads of a prompt. Chapter 1's tokenizer refuses a caption with a word
// outside its vocabulary, since there every caption comes from the course's own templates and an
// unknown word is a bug. A prompt is a person's free text, so chapter 6 reads the words it knows
// and drops the rest ({ unknown: 'ignore' }); this says which were dropped, so that nothing is
// dropped silently.
import { splitWords } from '../clip/captions';
import type { Unclip } from './decoder';

export function wordsRead(u: Unclip, prompt: string): { read: string[]; dropped: string[] } {
  if (typeof prompt !== 'string') throw new Error(`wordsRead: a prompt must be a string, got ${typeof prompt}`);
  const known = new Set(u.clip.tokenizer.vocab);
  const words = splitWords(prompt);
  return { read: words.filter((w) => known.has(w)), dropped: words.filter((w) => !known.has(w)) };
}
