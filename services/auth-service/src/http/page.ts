import { escapeHtml, PAGE_CSS } from '@gatehouse/shared';

/**
 * The frame of every auth-service page (sign-in errors, the device page), in the demo page's
 * look (shared PAGE_CSS): `title` is text, escaped here and shown as the heading; `body` is
 * HTML the caller has already escaped, placed under the heading.
 */
export function renderPage({ title, body }: { title: string; body: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>${PAGE_CSS}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}
