import { Labels } from '@promethium/tsdb-core';
import { describe, expect, it } from 'vitest';
import { mutateSampleLabels } from './sample-labels.js';

const target = Labels.from({ instance: 'pushgateway:9091', job: 'pushgateway' });

describe('mutateSampleLabels', () => {
  it('honor_labels keeps exposed labels, and an exposed empty instance suppresses the target one', () => {
    const exposed = new Map([['__name__', 'errors_total'], ['job', 'my_job'], ['instance', '']]);
    expect(mutateSampleLabels(exposed, target, true, [])!.toString()).toBe('{__name__="errors_total", job="my_job"}');
  });
  it('honor_labels fills in target labels the exposition lacks', () => {
    const exposed = new Map([['__name__', 'x']]);
    expect(mutateSampleLabels(exposed, target, true, [])!.toObject()).toEqual({ __name__: 'x', instance: 'pushgateway:9091', job: 'pushgateway' });
  });
  it('without honor_labels the target wins and the exposed value moves to exported_', () => {
    const exposed = new Map([['__name__', 'x'], ['job', 'my_job'], ['instance', '']]);
    expect(mutateSampleLabels(exposed, target, false, [])!.toObject()).toEqual({ __name__: 'x', exported_job: 'my_job', instance: 'pushgateway:9091', job: 'pushgateway' });
  });
});
