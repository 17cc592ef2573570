import { describe, expect, it } from 'vitest';
import { Info } from './info.js';
import { Registry } from './registry.js';
import { StateSet } from './stateset.js';

describe('Info', () => {
  it('holds one series whose labels carry the information', async () => {
    const r = new Registry();
    const i = new Info({ name: 'app_info', help: 'App.', labelNames: ['version', 'commit'], registers: [r] });
    i.set({ version: '1.0', commit: 'abc' });
    i.info({ version: '1.1', commit: 'def' });
    expect(await r.metrics()).toBe('# HELP app_info App.\n# TYPE app_info gauge\napp_info{version="1.1",commit="def"} 1\n');
    expect(await r.metricsAs('openmetrics')).toBe('# HELP app App.\n# TYPE app info\napp_info{version="1.1",commit="def"} 1.0\n# EOF\n');
    expect((await i.get()).values).toEqual([{ value: 1, labels: { version: '1.1', commit: 'def' }, metricName: 'app_info' }]);
    expect(() => i.set({ other: 'x' } as never)).toThrow(/Added label "other"/);
  });
});

describe('StateSet', () => {
  it('sets one state or several, per label set', async () => {
    const r = new Registry();
    const s = new StateSet({ name: 'feature', help: 'Flags.', labelNames: ['svc'], states: ['a', 'b', 'c'], registers: [r] });
    s.set({ svc: 'x' }, 'b');
    s.setStates({ svc: 'y' }, { a: true, c: true });
    s.setStates({ svc: 'y' }, { c: false });
    expect(await r.metrics()).toBe(
      '# HELP feature Flags.\n# TYPE feature gauge\n' +
        'feature{svc="x",feature="a"} 0\nfeature{svc="x",feature="b"} 1\nfeature{svc="x",feature="c"} 0\n' +
        'feature{svc="y",feature="a"} 1\nfeature{svc="y",feature="b"} 0\nfeature{svc="y",feature="c"} 0\n',
    );
    expect((await r.metricsAs('openmetrics')) as string).toContain('# TYPE feature stateset\nfeature{svc="x",feature="a"} 0.0\n');
    expect((await s.get()).values[1]).toEqual({ value: 1, labels: { svc: 'x', feature: 'b' } });
  });

  it('rejects unknown states and bad definitions', () => {
    const s = new StateSet({ name: 'm', help: 'h', states: ['on', 'off'], registers: [] });
    expect(() => s.set('maybe' as never)).toThrow('Unknown state maybe for StateSet m; states: on, off');
    expect(() => new StateSet({ name: 'a:b', help: 'h', states: ['x'], registers: [] })).toThrow(/valid label name/);
    expect(() => new StateSet({ name: 'm', help: 'h', labelNames: ['m'], states: ['x'], registers: [] })).toThrow(/label named like itself/);
    expect(() => new StateSet({ name: 'm', help: 'h', states: [], registers: [] })).toThrow('StateSet needs at least one state');
    expect(() => new StateSet({ name: 'm', help: 'h', states: ['x', 'x'], registers: [] })).toThrow('StateSet states must be unique');
  });
});
