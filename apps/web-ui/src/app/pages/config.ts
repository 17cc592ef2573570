// The loaded configuration (/api/v1/status/config) as YAML, with a copy button.
import { ApiError, apiGet, isRecord } from '../lib/api.js';
import { h, notice } from '../lib/dom.js';
import type { PageContext } from '../router.js';
import { errorNotice, pageHeader } from './common.js';

export async function configPage(root: HTMLElement, ctx: PageContext): Promise<void> {
  const copy = h('button', { type: 'button', class: 'btn', disabled: true }, 'Copy to clipboard');
  const body = h('div', null, notice('loading', 'Loading configuration…'));
  root.append(pageHeader('Configuration', h('div', { class: 'toolbar' }, copy)), body);
  try {
    const data = await apiGet('status/config', {}, ctx.signal);
    if (!isRecord(data) || typeof data.yaml !== 'string') {
      throw new ApiError('status/config: expected {"yaml": "..."}', 200, 'bad_response', 'status/config');
    }
    const yaml = data.yaml;
    body.replaceChildren(h('pre', { class: 'card code-block', tabindex: '0', 'aria-label': 'Configuration YAML' }, yaml));
    copy.disabled = false;
    copy.addEventListener('click', () => {
      navigator.clipboard.writeText(yaml).then(
        () => (copy.textContent = 'Copied'),
        () => (copy.textContent = 'Copy failed: select the text instead'),
      );
    });
  } catch (err) {
    body.replaceChildren(errorNotice(err));
  }
}
