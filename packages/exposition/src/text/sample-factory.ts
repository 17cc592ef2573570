// Samples built by one object literal per label-name sequence: `{ name, labels: { a: v[0], ... },
// value }`. Adding label properties one by one walks V8's map transitions with a megamorphic keyed
// store per label; a nested literal with fixed keys is allocated in one step (sample and labels
// together) and gives every record of that label set the same compact shape.
// The literals are compiled once per sequence and cached for the process (bounded), since the same
// label sets come back scrape after scrape.
import type { Sample } from '../model.js';

/** Builds a sample whose labels are values[i] for the i-th name of its sequence. */
export type SampleFactory = (name: string, values: readonly string[], value: number) => Sample;

interface TrieNode {
  next: Map<string, TrieNode> | undefined;
  make: SampleFactory | undefined;
}

/** Bound on cached trie nodes (label-name sequences share prefixes); past it, records are built generically. */
const MAX_NODES = 4096;
const root: TrieNode = { next: undefined, make: undefined };
let nodes = 0;
let compileWorks = true;

/**
 * The factory for samples with labels names[0, count), in that order. The names must be legacy
 * label names other than "__proto__" (the caller guarantees it; they are also quoted as JSON).
 */
export function sampleFactory(names: readonly string[], count: number): SampleFactory {
  let node = root;
  for (let i = 0; i < count; i++) {
    const name = names[i]!;
    let next = node.next?.get(name);
    if (next === undefined) {
      if (nodes >= MAX_NODES) return generic(names, count);
      next = { next: undefined, make: undefined };
      (node.next ??= new Map()).set(name, next);
      nodes++;
    }
    node = next;
  }
  return (node.make ??= compile(names, count));
}

function compile(names: readonly string[], count: number): SampleFactory {
  if (compileWorks) {
    let body = 'return {name:n,labels:{';
    for (let i = 0; i < count; i++) body += `${i > 0 ? ',' : ''}${JSON.stringify(names[i])}:v[${i}]`;
    body += '},value:x};';
    try {
      // The body is only JSON-quoted legacy label names and indexes: no input reaches it as code.
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      return new Function('n', 'v', 'x', body) as SampleFactory;
    } catch {
      // Code generation from strings is disabled (--disallow-code-generation-from-strings).
      compileWorks = false;
    }
  }
  return generic(names, count);
}

function generic(names: readonly string[], count: number): SampleFactory {
  const own = names.slice(0, count);
  return (name, values, value) => {
    const labels: Record<string, string> = {};
    for (let i = 0; i < own.length; i++) labels[own[i]!] = values[i]!;
    return { name, labels, value };
  };
}
