import { describe, expect, it } from 'vitest';
import { BlockMetaError, formatMeta, parseMeta } from './meta.js';

const prometheusMeta = `{
	"ulid": "01EM6Q6A1YPX4G9TEB20J22B2R",
	"minTime": 1602237600000,
	"maxTime": 1602244800000,
	"stats": {
		"numSamples": 553673232,
		"numSeries": 1346066,
		"numChunks": 4440437
	},
	"compaction": {
		"level": 2,
		"sources": [
			"01EM65SHSX4VARXBBHBF0M0FDS",
			"01EM6GAJSYWSQQRDY782EA5ZPN"
		],
		"parents": [
			{ "ulid": "01EM65SHSX4VARXBBHBF0M0FDS", "minTime": 1602237600000, "maxTime": 1602241200000 },
			{ "ulid": "01EM6GAJSYWSQQRDY782EA5ZPN", "minTime": 1602241200000, "maxTime": 1602244800000 }
		]
	},
	"version": 1
}`;

describe('meta.json', () => {
  it('parses Prometheus meta and writes it back in the same shape', () => {
    const m = parseMeta(prometheusMeta);
    expect(m.compaction.level).toBe(2);
    expect(m.compaction.sources).toHaveLength(2);
    expect(m.stats.numSeries).toBe(1346066);
    expect(parseMeta(formatMeta(m))).toEqual(m);
    expect(formatMeta(m)).toContain('\t"minTime": 1602237600000,');
  });

  it('names the field that is wrong', () => {
    expect(() => parseMeta('{"ulid":"x","minTime":0,"maxTime":1,"version":1}', 'b/meta.json')).toThrow(
      /b\/meta\.json: field "ulid": expected a ULID/,
    );
    expect(() => parseMeta(prometheusMeta.replace('"version": 1', '"version": 3'))).toThrow(/unsupported meta version 3/);
    expect(() => parseMeta(prometheusMeta.replace('"maxTime": 1602244800000,', '"maxTime": "soon",'))).toThrow(BlockMetaError);
    expect(() => parseMeta('{')).toThrow(/invalid JSON/);
  });
});
