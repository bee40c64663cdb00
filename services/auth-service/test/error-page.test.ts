import { describe, expect, it } from '@jest/globals';
import { PAGE_CSS } from '@gatehouse/shared';
import { renderErrorPage } from '../src/signin/error-page.js';

describe('the HTML error page', () => {
  it('when a sign-in is refused, then the page has the demo page look, the favicon and escaped text', () => {
    const html = renderErrorPage(
      { error: 'access_denied', error_description: 'not <allowed>', request_id: 'r-1' },
      403,
    );

    expect(html).toContain(`<style>${PAGE_CSS}</style>`);
    expect(html).toContain('<link rel="icon" href="/favicon.svg"');
    expect(html).toMatch(/<main>\n<h1>Access denied<\/h1>/);
    expect(html).toContain('not &lt;allowed&gt;');
    expect(html).toContain('request id <code>r-1</code>');
  });
});
