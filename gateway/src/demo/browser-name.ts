/**
 * Browser-side source of `browserName(agent)`, which the account script (account-script.ts)
 * includes: "Chrome 131 on Windows" for a browser's user agent; for anything else (curl, a
 * script) its first product token, or the start of the string. Plain JavaScript in a string
 * because it runs in the page; gateway/test/browser-name.test.ts runs it in node:vm.
 */
export const BROWSER_NAME_JS = `const BROWSERS = [
  ['Edge', /Edg(?:e|A|iOS)?\\/(\\d+)/],
  ['Opera', /OPR\\/(\\d+)/],
  ['Firefox', /(?:Firefox|FxiOS)\\/(\\d+)/],
  ['Chrome', /(?:Chrome|CriOS)\\/(\\d+)/],
  ['Safari', /Version\\/(\\d+).*Safari\\//],
];
const SYSTEMS = [
  ['Android', /Android/],
  ['iOS', /iPhone|iPad|iPod/],
  ['ChromeOS', /CrOS/],
  ['Windows', /Windows/],
  ['macOS', /Macintosh|Mac OS X/],
  ['Linux', /Linux/],
];

function browserName(agent) {
  if (!agent) return 'unknown browser';
  const found = BROWSERS.find(([, pattern]) => pattern.test(agent));
  if (!found) {
    const product = /^([^\\s/()]+)\\//.exec(agent);
    if (product) return product[1];
    return agent.length > 40 ? agent.slice(0, 39) + '…' : agent;
  }
  const system = SYSTEMS.find(([, pattern]) => pattern.test(agent));
  const name = found[0] + ' ' + found[1].exec(agent)[1];
  return system ? name + ' on ' + system[0] : name;
}`;
