import { describe, expect, it } from 'vitest';
import { RELABEL_DEFAULTS, compileRelabel, relabel } from './relabel.js';
import type { RelabelConfig } from './relabel.js';

function run(input: Record<string, string>, ...cfgs: Partial<RelabelConfig>[]): Record<string, string> | null {
  const lb = new Map(Object.entries(input));
  const ok = relabel(
    lb,
    cfgs.map((c) => compileRelabel({ ...RELABEL_DEFAULTS, ...c })),
  );
  return ok ? Object.fromEntries([...lb].sort()) : null;
}

describe('relabel', () => {
  it('replace with defaults copies the joined source labels', () => {
    expect(run({ a: 'foo', b: 'bar' }, { source_labels: ['a', 'b'], target_label: 'c' })).toEqual({ a: 'foo', b: 'bar', c: 'foo;bar' });
  });
  it('replace with anchored regex, groups and ${1} syntax', () => {
    const input = { a: 'foo', b: 'bar' };
    expect(run(input, { source_labels: ['a'], regex: 'f(.*)', target_label: 'd', replacement: 'ch${1}-ch${1}' })).toEqual({
      ...input,
      d: 'choo-choo',
    });
    // Anchored: "o" alone does not match "foo".
    expect(run(input, { source_labels: ['a'], regex: 'o', target_label: 'd' })).toEqual(input);
    // Go's $1x names group "1x", which is empty.
    expect(run(input, { source_labels: ['a'], regex: '(f)oo', target_label: 'd', replacement: '$1x' })).toEqual(input);
    expect(run(input, { source_labels: ['a'], regex: '(?P<first>f)oo', target_label: 'd', replacement: '$first-$$' })).toEqual({
      ...input,
      d: 'f-$',
    });
    // The target label itself may be templated.
    expect(run({ a: 'some-name-value' }, { source_labels: ['a'], regex: 'some-([^-]+)-([^,]+)', target_label: '${1}', replacement: '${2}' })).toEqual({
      a: 'some-name-value',
      name: 'value',
    });
  });
  it('replace with an empty result deletes the target label', () => {
    expect(run({ a: 'foo', b: 'x' }, { source_labels: ['c'], target_label: 'b' })).toEqual({ a: 'foo' });
  });
  it('dot matches newlines', () => {
    expect(run({ a: 'x\ny' }, { source_labels: ['a'], regex: 'x.y', action: 'keep' })).toEqual({ a: 'x\ny' });
  });
  it('keep and drop', () => {
    expect(run({ a: 'foo' }, { source_labels: ['a'], regex: 'f.*', action: 'drop' })).toBeNull();
    expect(run({ a: 'foo' }, { source_labels: ['a'], regex: 'f.*', action: 'keep' })).toEqual({ a: 'foo' });
    expect(run({ a: 'foo' }, { source_labels: ['a'], regex: 'b.*', action: 'keep' })).toBeNull();
    // A missing source label is the empty string.
    expect(run({ a: 'foo' }, { source_labels: ['z'], regex: '', action: 'keep' })).toEqual({ a: 'foo' });
  });
  it('keepequal and dropequal compare with the target label', () => {
    expect(run({ a: '1', b: '1' }, { source_labels: ['a'], target_label: 'b', action: 'keepequal' })).toEqual({ a: '1', b: '1' });
    expect(run({ a: '1', b: '2' }, { source_labels: ['a'], target_label: 'b', action: 'keepequal' })).toBeNull();
    expect(run({ a: '1', b: '1' }, { source_labels: ['a'], target_label: 'b', action: 'dropequal' })).toBeNull();
    expect(run({ a: '1', b: '2' }, { source_labels: ['a'], target_label: 'b', action: 'dropequal' })).toEqual({ a: '1', b: '2' });
  });
  it('hashmod matches Prometheus (md5, low 64 bits)', () => {
    expect(run({ c: 'baz' }, { source_labels: ['c'], target_label: 'd', modulus: 1000, action: 'hashmod' })).toEqual({ c: 'baz', d: '976' });
  });
  it('labelmap, labeldrop, labelkeep', () => {
    const input = { __meta_kubernetes_pod_label_app: 'web', __meta_x: 'y', job: 'j' };
    expect(run(input, { regex: '__meta_kubernetes_pod_label_(.+)', action: 'labelmap' })).toEqual({ ...input, app: 'web' });
    expect(run(input, { regex: '__meta_(.+)', replacement: 'm_${1}', action: 'labelmap' })).toEqual({
      ...input,
      m_kubernetes_pod_label_app: 'web',
      m_x: 'y',
    });
    expect(run(input, { regex: '__meta_.*', action: 'labeldrop' })).toEqual({ job: 'j' });
    expect(run(input, { regex: '__meta_.*', action: 'labelkeep' })).toEqual({ __meta_kubernetes_pod_label_app: 'web', __meta_x: 'y' });
  });
  it('lowercase and uppercase', () => {
    expect(run({ a: 'FoO', b: 'bAr' }, { source_labels: ['a', 'b'], target_label: 'l', action: 'lowercase' })).toEqual({ a: 'FoO', b: 'bAr', l: 'foo;bar' });
    expect(run({ a: 'FoO' }, { source_labels: ['a'], target_label: 'u', action: 'uppercase' })).toEqual({ a: 'FoO', u: 'FOO' });
  });
  it('applies configs in sequence and stops at a drop', () => {
    expect(
      run(
        { a: 'foo' },
        { source_labels: ['a'], target_label: 'b', replacement: 'bar' },
        { source_labels: ['b'], regex: 'bar', action: 'drop' },
        { source_labels: ['a'], target_label: 'never' },
      ),
    ).toBeNull();
  });
});
