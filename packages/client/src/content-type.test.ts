import { describe, expect, it } from 'vitest';
import { contentType } from './index.js';

describe('contentType', () => {
  it('is the text 0.0.4 content type, like prom-client', () => {
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});
