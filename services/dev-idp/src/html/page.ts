import { escapeHtml } from '@gatehouse/shared';

/**
 * The frame every dev-idp page shares: plain HTML, inline style, no script and no external
 * asset, so it works offline and a strict CSP changes nothing.
 */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Gatehouse dev-idp</title>
<style>
body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#222}
.banner{background:#fff3cd;border:1px solid #e0c36a;padding:.6rem .8rem;border-radius:4px;font-size:.9rem}
label{display:block;margin:.9rem 0 .3rem}
input[type=email],input[type=text]{width:100%;padding:.45rem;box-sizing:border-box;font-size:1rem}
.check{display:flex;gap:.5rem;align-items:center}
.error{color:#a40000}
button{margin-top:1.2rem;padding:.55rem 1.2rem;font-size:1rem}
</style>
</head>
<body>
<p class="banner" id="dev-banner">Development identity provider: anyone can sign in as anyone. Never use it in production.</p>
${body}
</body>
</html>
`;
}
