// Round trips over every textparse payload, in each format it is valid in: parse, serialize,
// re-parse to the same families; and across formats (text <-> OpenMetrics <-> protobuf).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MetricFamily } from './index.js';
import {
  decodeProtobuf,
  encodeProtobuf,
  parseOpenMetrics,
  parseText,
  serializeOpenMetrics,
  serializeText,
} from './index.js';

const SHARED = process.env.PROMETHIUM_SHARED ?? resolve(import.meta.dirname, '../../../../shared');
const TEXTPARSE = resolve(SHARED, 'conformance/textparse');

/** Which format each payload is valid in ("om-lenient": it bends OpenMetrics' semantic rules). */
const VALID: Record<string, { text: boolean; openmetrics: 'strict' | 'lenient' | false }> = {
  // Text with a final "# EOF" comment; as OpenMetrics only leniently (counters typed "x_total").
  'alltypes.237mfs.prom.txt': { text: true, openmetrics: 'lenient' },
  'alltypes.237mfs.nometa.prom.txt': { text: true, openmetrics: 'lenient' },
  // No LF after "# EOF", which text 0.0.4 requires.
  '1histogram.om.txt': { text: false, openmetrics: 'strict' },
  // Exemplars (not text); a histogram with negative buckets and a _sum bends OpenMetrics' rules.
  'alltypes.5mfs.om.txt': { text: false, openmetrics: 'lenient' },
};

/** le/quantile compared as numbers: protobuf carries floats, so "1.0" comes back as "1". */
function normalized(fams: MetricFamily[]): MetricFamily[] {
  return fams.map((f) => ({
    ...f,
    samples: f.samples.map((s) => {
      const labels = { ...s.labels };
      for (const k of ['le', 'quantile']) if (labels[k] !== undefined) labels[k] = String(Number(labels[k]));
      return { ...s, labels };
    }),
  }));
}

function tryParse(fn: () => MetricFamily[]): MetricFamily[] | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

describe.skipIf(!existsSync(TEXTPARSE))('round trips over ../shared/conformance/textparse', () => {
  const files = existsSync(TEXTPARSE) ? readdirSync(TEXTPARSE).filter((f) => f.endsWith('.txt') && f !== 'SOURCE.txt') : [];
  it('knows every payload', () => {
    expect(files.sort()).toEqual(Object.keys(VALID).sort());
  });

  describe.each(files)('%s', (file) => {
    const bytes = readFileSync(resolve(TEXTPARSE, file));
    const valid = VALID[file]!;
    const text = tryParse(() => parseText(bytes));
    const strict = tryParse(() => parseOpenMetrics(bytes));
    const lenient = tryParse(() => parseOpenMetrics(bytes, { strict: false }));

    it('is valid in exactly the expected formats', () => {
      expect(text !== undefined).toBe(valid.text);
      expect(strict !== undefined).toBe(valid.openmetrics === 'strict');
      expect(lenient !== undefined).toBe(valid.openmetrics !== false);
    });

    it.runIf(valid.text)('text: parse -> serialize -> parse is identical', () => {
      const fams = text!;
      expect(fams.reduce((n, f) => n + f.samples.length, 0)).toBeGreaterThan(0);
      expect(parseText(serializeText(fams))).toEqual(fams);
    });

    it.runIf(valid.text)('text -> protobuf -> text keeps every family and sample', () => {
      const fams = text!;
      const back = decodeProtobuf(encodeProtobuf(fams));
      expect(back).toEqual(fams);
      expect(serializeText(back)).toBe(serializeText(fams));
    });

    it.runIf(valid.text)('text -> OpenMetrics -> text writes the same text', () => {
      const fams = text!;
      const om = serializeOpenMetrics(fams);
      expect(serializeText(parseOpenMetrics(om, { strict: false }))).toBe(serializeText(fams));
    });

    it.runIf(valid.openmetrics === 'strict')('OpenMetrics (strict): parse -> serialize -> parse is identical', () => {
      expect(parseOpenMetrics(serializeOpenMetrics(strict!))).toEqual(strict);
    });

    it.runIf(valid.openmetrics !== false)('OpenMetrics: serialize -> parse -> serialize is a fixed point with every sample', () => {
      const om = serializeOpenMetrics(lenient!);
      const again = parseOpenMetrics(om, { strict: false });
      expect(serializeOpenMetrics(again)).toBe(om);
      const count = (fs: MetricFamily[]) => fs.reduce((n, f) => n + f.samples.length, 0);
      expect(count(again)).toBe(count(lenient!));
    });

    it.runIf(valid.openmetrics !== false)('OpenMetrics -> protobuf -> OpenMetrics keeps every sample (le/quantile as numbers)', () => {
      const om = parseOpenMetrics(serializeOpenMetrics(lenient!), { strict: false });
      const back = parseOpenMetrics(serializeOpenMetrics(decodeProtobuf(encodeProtobuf(om))), { strict: false });
      expect(normalized(back)).toEqual(normalized(om));
    });
  });
});
