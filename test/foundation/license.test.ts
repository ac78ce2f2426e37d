// The repository's LICENSE is the license package.json names, and data/README.md names every data
// file's source and license (the brief: "A LICENSE file matches package.json; data/ names each
// data set's source and license").
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

describe('licenses', () => {
  it('LICENSE is the license package.json names', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.license, 'package.json license').to.equal('MIT');
    const text = fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8');
    expect(text.split('\n')[0].trim()).to.equal('MIT License');
    expect(text).to.match(/Permission is hereby granted, free of charge/);
  });

  it('data/README.md names every data file with its source and license', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'data', 'README.md'), 'utf8');
    const rows = new Map(
      readme
        .split('\n')
        .filter((l) => l.startsWith('| `'))
        .map((l) => l.split('|').map((c) => c.trim()))
        .map((c) => [c[1].replace(/`/g, ''), c] as const),
    );
    const files: string[] = [];
    const walk = (rel: string) => {
      for (const e of fs.readdirSync(path.join(ROOT, 'data', rel), { withFileTypes: true })) {
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) walk(r);
        else if (e.name.endsWith('.json')) files.push(r);
      }
    };
    walk('');
    expect(files.length).to.be.above(0);
    for (const f of files) {
      const row = rows.get(f);
      expect(row, `data/README.md has no row for ${f}`).to.not.equal(undefined);
      expect(row![4], `${f}: its source data`).to.not.equal('');
      expect(row![5], `${f}: its license`).to.match(/MIT|CC BY/);
    }
    for (const f of rows.keys()) expect(fs.existsSync(path.join(ROOT, 'data', f)), `data/README.md names ${f}, which is not there`).to.equal(true);
  });
});
