import { parseText } from '@promethium/exposition';
import { describe, expect, it } from 'vitest';
import { decodeBase64Url } from './grouping-key.js';
import { groupPath, PAGE_GROUP_LIMIT, renderPage } from './page.js';
import { MetricStore } from './store.js';

describe('web page', () => {
  it('escapes label values and builds base64 delete paths that round-trip', () => {
    const s = new MetricStore();
    s.push('PUT', { job: '<script>', path: '/var/tmp', e: '' }, parseText('m{v="<b>&"} 1\n'));
    const html = renderPage(s, { prefix: '/pg', admin: true, version: 'x' });
    expect(html).not.toContain('<script>"');
    expect(html).toContain('&#60;script&#62;');
    expect(html).toContain('&#60;b&#62;&#38;');
    expect(html).toContain('@media (prefers-color-scheme:dark)');
    const path = groupPath(s.groups()[0]!);
    const seg = path.split('/');
    expect(decodeBase64Url(seg[3]!)).toBe('<script>');
    expect(path).toContain('/e@base64/=');
    expect(html).toContain(`data-path="/pg${path}"`);
  });

  it('caps the groups it renders', () => {
    const s = new MetricStore();
    for (let i = 0; i < PAGE_GROUP_LIMIT + 3; i++) s.push('PUT', { job: 'j', instance: String(i) }, []);
    expect(renderPage(s, { prefix: '', admin: false, version: 'x' })).toContain('3 more groups not shown here');
  });
});
