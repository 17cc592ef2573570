import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/yaml-walk.js';
import { parseTargetGroupFile } from './file-sd.js';

describe('parseTargetGroupFile', () => {
  it('reads JSON and YAML groups and adds __meta_filepath', () => {
    expect(parseTargetGroupFile('[{"targets": ["a:1"], "labels": {"x": "y"}}]', '/sd/a.json')).toEqual([
      { source: '/sd/a.json:0', targets: [{ __address__: 'a:1' }], labels: { x: 'y', __meta_filepath: '/sd/a.json' } },
    ]);
    expect(parseTargetGroupFile('- targets: [b:2]\n', '/sd/b.yml')[0]!.targets).toEqual([{ __address__: 'b:2' }]);
  });
  it('names file, line and field on errors', () => {
    expect(() => parseTargetGroupFile('- targets: [a]\n  labelz: {}\n', 'x.yml')).toThrow(ConfigError);
    expect(() => parseTargetGroupFile('- targets: [a]\n  labelz: {}\n', 'x.yml')).toThrow(
      'x.yml:2:3: [0].labelz: field labelz not found in type targetgroup.Group',
    );
    expect(() => parseTargetGroupFile('- labels: {"bad-name": x}\n', 'x.yml')).toThrow(/"bad-name" is not a valid label name/);
  });
});
