import { describe, expect, it } from '@jest/globals';
import { CODE_ENTRY_ID, renderDevicePage } from '../../../src/oauth/device/device-page.js';

describe('the device page', () => {
  it('when it asks for the code, then the code box has a label that names it (label for = input id)', () => {
    const page = renderDevicePage({ kind: 'enter' });

    const label = /<label for="([^"]+)">([^<]+)<\/label>/.exec(page);
    expect(label?.[1]).toBe(CODE_ENTRY_ID);
    expect(label?.[2]).toBe('Enter the code your terminal shows');
    expect(page).toMatch(new RegExp(`<input id="${CODE_ENTRY_ID}" name="user_code"`));
    expect(page.split(`id="${CODE_ENTRY_ID}"`)).toHaveLength(2);
  });
});
