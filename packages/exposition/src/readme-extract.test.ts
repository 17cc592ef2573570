// The README example extractor every package's readme.test.ts uses (scripts/readme-examples.ts).
import { describe, expect, it } from 'vitest';
import { extractTsBlocks, toReadmeLocations } from '../../../scripts/readme-examples.js';

describe('extractTsBlocks', () => {
  it('finds ts blocks with their first code line and flags, and skips other languages', () => {
    const md = [
      '# T', //                      1
      '```sh', //                    2
      'npm i x', //                  3
      '```', //                      4
      '```ts', //                    5
      'const a = 1;', //             6
      '```', //                      7
      '```typescript no-run', //     8
      'await fetch(url);', //        9
      '```', //                      10
      '```ts no-check', //           11
      'interface X { a: T }', //     12
      '```', //                      13
      '````md', //                   14
      '```ts', //                    15
      'not a block', //              16
      '```', //                      17
      '````', //                     18
      '  ```ts', //                  19
      '  const b = 2;', //           20
      '  ```', //                    21
    ].join('\n');
    expect(extractTsBlocks(md)).toEqual([
      { line: 6, code: 'const a = 1;', run: true, check: true },
      { line: 9, code: 'await fetch(url);', run: false, check: true },
      { line: 12, code: 'interface X { a: T }', run: false, check: false },
      { line: 20, code: 'const b = 2;', run: true, check: true },
    ]);
  });

  it('an unclosed block runs to the end of the file', () => {
    expect(extractTsBlocks('```ts\na;\nb;')).toEqual([{ line: 2, code: 'a;\nb;', run: true, check: true }]);
  });
});

describe('toReadmeLocations', () => {
  it('maps block file positions to README lines', () => {
    const dir = '/pkg/node_modules/.cache/readme-examples-1';
    expect(toReadmeLocations(`at <anonymous> (${dir}/block-40.ts:3:8)`, dir)).toBe('at <anonymous> (README.md:42:8)');
    expect(toReadmeLocations(`at file://${dir}/block-7.ts:1`, dir)).toBe('at README.md:7');
  });
});
