// A notebook cell's TypeScript as the body of an async function, run the way tslab runs cells:
// types stripped (sucrase: no type checking, as in the grader), top-level `await` allowed, and
// every name a cell declares at its top level (const, let, var, function, class, import) kept in
// one scope object the next cells see. The kernel runs the body inside `with (scope)`, so the
// cell's own code reads and writes those names as plain identifiers. The last expression
// statement is returned (tslab shows it as the cell's value).
import { transform } from 'sucrase';
import { parse } from 'acorn';

export interface Transpiled {
  /** The async function's body; it gets `__scope` and `__require` from the kernel. */
  body: string;
  /** Top-level names the cell declares (the kernel creates them in the scope before running). */
  names: string[];
}

type Node = { type: string; start: number; end: number; [k: string]: any };

/** Names bound by a pattern: `x`, `{ a, b: [c, ...d] }`, `[e = 1]`. */
function bound(p: Node | null, out: string[]): void {
  if (!p) return;
  if (p.type === 'Identifier') out.push(p.name);
  else if (p.type === 'ObjectPattern') for (const q of p.properties) bound(q.type === 'RestElement' ? q.argument : q.value, out);
  else if (p.type === 'ArrayPattern') for (const q of p.elements) bound(q, out);
  else if (p.type === 'RestElement') bound(p.argument, out);
  else if (p.type === 'AssignmentPattern') bound(p.left, out);
}

export function transpile(source: string): Transpiled {
  // keepUnusedImports: an import used only as a type in this cell may be used as a value by a later one.
  const js = transform(source, { transforms: ['typescript'], disableESTransforms: true, keepUnusedImports: true }).code;
  const program = parse(js, { ecmaVersion: 'latest', sourceType: 'module', allowAwaitOutsideFunction: true, allowReturnOutsideFunction: true }) as unknown as Node;
  const names: string[] = [];
  const edits: { start: number; end: number; text: string }[] = [];
  const src = (n: Node) => js.slice(n.start, n.end);
  const hoisted: string[] = [];
  let m = 0;
  const body: Node[] = program.body;
  body.forEach((s, i) => {
    const last = i === body.length - 1;
    if (s.type === 'ImportDeclaration') {
      const mod = `__m${m++}`;
      const parts = [`const ${mod} = __require(${JSON.stringify(s.source.value)});`];
      for (const sp of s.specifiers) {
        names.push(sp.local.name);
        const from = sp.type === 'ImportNamespaceSpecifier' ? mod : sp.type === 'ImportDefaultSpecifier' ? `(${mod}.default ?? ${mod})` : `${mod}[${JSON.stringify(sp.imported.name ?? sp.imported.value)}]`;
        parts.push(`__scope[${JSON.stringify(sp.local.name)}] = ${from};`);
      }
      edits.push({ start: s.start, end: s.end, text: parts.join(' ') });
    } else if (s.type === 'VariableDeclaration') {
      const parts = s.declarations.map((d: Node) => {
        bound(d.id, names);
        return `(${src(d.id)} = ${d.init ? src(d.init) : 'undefined'});`;
      });
      edits.push({ start: s.start, end: s.end, text: parts.join(' ') });
    } else if (s.type === 'FunctionDeclaration') {
      names.push(s.id.name);
      hoisted.push(`__scope[${JSON.stringify(s.id.name)}] = ${s.id.name};`);
    } else if (s.type === 'ClassDeclaration') {
      names.push(s.id.name);
      edits.push({ start: s.end, end: s.end, text: ` __scope[${JSON.stringify(s.id.name)}] = ${s.id.name};` });
    } else if (s.type === 'ExportNamedDeclaration' || s.type === 'ExportDefaultDeclaration' || s.type === 'ExportAllDeclaration') {
      throw new SyntaxError('a notebook cell cannot export (it is not a module)');
    } else if (last && s.type === 'ExpressionStatement') {
      edits.push({ start: s.start, end: s.end, text: `return (${src(s.expression)});` });
    }
  });
  let out = js;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return { body: hoisted.join(' ') + '\n' + out, names: [...new Set(names)] };
}
