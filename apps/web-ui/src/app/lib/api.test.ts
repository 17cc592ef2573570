import { describe, expect, it } from 'vitest';
import { isMissingEndpoint } from '../pages/common.js';
import { ApiError, apiBase, asLabels, envelopeNotes, unwrapEnvelope } from './api.js';

describe('unwrapEnvelope', () => {
  it('returns data of a success envelope', () => {
    expect(unwrapEnvelope({ status: 'success', data: { a: 1 } }, 200, 'x')).toEqual({ a: 1 });
    expect(unwrapEnvelope({ status: 'success', data: null, warnings: ['w'] }, 200, 'x')).toBeNull();
  });
  it('turns an error envelope into an ApiError with type and HTTP status', () => {
    try {
      unwrapEnvelope({ status: 'error', errorType: 'bad_data', error: '1:5: parse error: boom' }, 400, 'query');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).errorType).toBe('bad_data');
      expect((e as ApiError).status).toBe(400);
      expect((e as ApiError).message).toBe('1:5: parse error: boom');
    }
  });
  it('says what is wrong with a malformed envelope', () => {
    expect(() => unwrapEnvelope([], 200, 'targets')).toThrow(/targets: expected a JSON object/);
    expect(() => unwrapEnvelope({ status: 'success' }, 200, 'targets')).toThrow(/"data" missing/);
    expect(() => unwrapEnvelope({ status: 'ok', data: 1 }, 200, 'targets')).toThrow(/"status" must be/);
  });
});

describe('helpers', () => {
  it('derives the API base from where the UI is mounted', () => {
    expect(apiBase({ origin: 'http://h:9090', pathname: '/targets' })).toBe('http://h:9090/');
    expect(apiBase({ origin: 'http://h', pathname: '/prom/query' })).toBe('http://h/prom/');
    expect(apiBase({ origin: 'http://h', pathname: '/prom/' })).toBe('http://h/prom/');
  });
  it('validates label objects', () => {
    expect(asLabels({ a: 'b' }, 'x')).toEqual({ a: 'b' });
    expect(() => asLabels({ a: 2 }, 'm')).toThrow(/m.a: label value must be a string/);
    expect(() => asLabels('a', 'm')).toThrow(/m: expected a label object/);
  });
  it('treats a missing endpoint as an empty state', () => {
    expect(isMissingEndpoint(new ApiError('unknown API endpoint GET /api/v1/rules', 404, 'not_found', 'rules'))).toBe(true);
    expect(isMissingEndpoint(new ApiError('boom', 500, 'internal', 'rules'))).toBe(false);
    expect(isMissingEndpoint(new Error('x'))).toBe(false);
  });
});

describe('envelopeNotes', () => {
  it('collects warnings and infos, ignoring junk', () => {
    expect(envelopeNotes({ status: 'success', data: 1, warnings: ['w1', 3], infos: ['PromQL info: metric might not be a counter'] })).toEqual({
      warnings: ['w1'],
      infos: ['PromQL info: metric might not be a counter'],
    });
    expect(envelopeNotes({ status: 'success', data: 1 })).toEqual({ warnings: [], infos: [] });
    expect(envelopeNotes('x')).toEqual({ warnings: [], infos: [] });
  });
});
