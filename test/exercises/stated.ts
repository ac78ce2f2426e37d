// What a public test may ask of an error message: only what the stub states. The stub (the
// exercises/ file a learner starts from: doc comment, signature and any given code) is compared
// with every names() check of the exercise's spec, read from the spec's source:
//   shape([3, 4])              the stub asks to name a shape ("naming both shapes")
//   shape([1, 0], 'the row')   a position written in brackets: the stub shows that form ("logits[1, 0] = NaN")
//   value(v) / named(v)        the stub asks to name the value (or the noun given: "the length");
//                              a value that is an end of a range the stub states ("(0, 1]") must be
//                              checked with named(), which does not count "(0, 1]" as naming 0 or 1
//   words('beta[1] = 1.5')     the stub shows this wording, numbers aside ("beta[1] = 1.5" or "beta[0] = NaN")
//   mention(/re/) or /re/      the stub shows an example message the pattern matches
import * as fs from 'fs';
import * as ts from 'typescript';

export interface Requirement {
  /** The pattern as written in the spec, e.g. "value(1.2)". */
  source: string;
  /** Why the stub does not state it, or '' when it does. */
  problem: string;
}

/** Numbers (and NaN, Infinity) as one token: the wording is what must be stated, not the example's numbers. */
const normal = (s: string) => s.replace(/[-+]?(?:\d+(?:\.\d*)?(?:e[-+]?\d+)?|NaN|Infinity|∞)/g, '#').replace(/\s+/g, ' ');

/** The ends of every interval the stub writes, "(0, 1]" → 0 and 1. */
function rangeEnds(stub: string): Set<number> {
  const ends = new Set<number>();
  for (const m of stub.matchAll(/[(\[]\s*([-+]?\d+(?:\.\d+)?)\s*,\s*([-+]?\d+(?:\.\d+)?)\s*[)\]]/g)) {
    ends.add(Number(m[1]));
    ends.add(Number(m[2]));
  }
  return ends;
}

/** A literal argument (number, string, array, object, regex) evaluated; anything else is an error. */
function literal(node: ts.Expression, file: ts.SourceFile): unknown {
  const text = node.getText(file);
  try {
    return Function(`"use strict"; return (${text});`)();
  } catch {
    throw new Error(`names() pattern argument ${text} is not a literal: write the value itself so the stub can be compared with it`);
  }
}

/** Every pattern of every names() call in a spec's source, judged against its stub's text. */
export function requirements(specSource: string, stub: string, fileName = 'spec.ts'): Requirement[] {
  const file = ts.createSourceFile(fileName, specSource, ts.ScriptTarget.ES2022, true);
  const out: Requirement[] = [];
  const ends = rangeEnds(stub);
  const judge = (node: ts.Expression) => {
    const source = node.getText(file);
    const req = (problem: string) => out.push({ source, problem });
    if (ts.isRegularExpressionLiteral(node)) {
      const re = literal(node, file) as RegExp;
      return req(re.test(stub) ? '' : `the stub shows no message matching ${re}`);
    }
    if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression)) return req('not a shape(), value(), named(), words() or mention() pattern');
    const kind = node.expression.text;
    const args = node.arguments.map((a) => literal(a, file));
    if (kind === 'shape') {
      const [dims, noun] = args as [number[], string | undefined];
      if (noun === undefined || noun === 'the shape') return req(/\bshapes?\b/i.test(stub) ? '' : 'the stub never asks to name a shape');
      const form = normal(`[${dims.join(', ')}]`);
      return req(normal(stub).includes(form) ? '' : `the stub never shows ${noun} written as ${form.replace(/#/g, 'i')}`);
    }
    if (kind === 'value' || kind === 'named') {
      const v = args[0] as number;
      const noun = kind === 'value' ? ((args[1] as { noun?: string } | undefined)?.noun ?? 'the value') : ((args[1] as string | undefined) ?? 'the value');
      const word = noun.split(' ').pop()!.replace(/s$/, '');
      if (!new RegExp(`\\b${word}s?\\b`, 'i').test(stub)) return req(`the stub never asks to name ${noun}`);
      if (kind === 'value' && typeof v === 'number' && ends.has(v)) return req(`${v} is an end of a range the stub states, so "(…, ${v})" would pass: use named(${v})`);
      return req('');
    }
    if (kind === 'words') {
      const text = args[0] as string;
      return req(normal(stub).includes(normal(text)) ? '' : `the stub never shows the wording "${text}"`);
    }
    if (kind === 'mention') {
      const re = args[0] as RegExp;
      return req(re.test(stub) ? '' : `the stub shows no message matching ${re}`);
    }
    return req(`unknown pattern ${kind}()`);
  };
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'names') {
      const patterns = node.arguments[2];
      if (!patterns || !ts.isArrayLiteralExpression(patterns)) out.push({ source: node.getText(file).slice(0, 80), problem: 'names() patterns are not an array literal' });
      else {
        patterns.elements.forEach((e) => judge(e));
        // Two values in one message ("naming both"): the stub must ask for more than "the value".
        const values = patterns.elements.filter((e) => ts.isCallExpression(e) && ts.isIdentifier(e.expression) && ['value', 'named'].includes(e.expression.text));
        if (values.length >= 2) {
          const nouns = values.map((e) => {
            const a = (e as ts.CallExpression).arguments[1];
            const noun = a ? literal(a, file) : undefined;
            return (typeof noun === 'string' ? noun : (noun as { noun?: string } | undefined)?.noun ?? 'the value').split(' ').pop()!;
          });
          const plural = nouns.every((w) => new RegExp(`\\b(both|all)\\b[^.;]*\\b${w}s?\\b|\\b${w}s\\b`, 'i').test(stub));
          out.push({ source: `names(…, [${values.map((e) => e.getText(file)).join(', ')}])`, problem: plural ? '' : `the message must name ${values.length} values, but the stub asks for one ("the ${nouns[0]}")` });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

/** The requirements of one spec file against one stub file. */
export function requirementsOf(specFile: string, stubFile: string): Requirement[] {
  return requirements(fs.readFileSync(specFile, 'utf8'), fs.readFileSync(stubFile, 'utf8'), specFile);
}
