/**
 * The one look the product's pages share (the gateway's demo page, the auth-service's error
 * and device pages), so a refusal reads as part of the same product. The dev-idp, a
 * development stand-in for Google, keeps a look of its own.
 */
export const PAGE_CSS = `body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1d2129; }
main { max-width: 40rem; margin: 4rem auto; padding: 2rem; background: #fff; border-radius: 8px; }
h1 { margin-top: 0; }
code { color: #555; }
.banner { background: #fff3cd; border: 1px solid #e0c36a; padding: 0.6rem 0.8rem; border-radius: 4px; font-size: 0.9rem; }
.actions { display: flex; gap: 0.75rem; }
.button, button { font: inherit; padding: 0.5rem 1rem; border: 1px solid #c4c9d0; border-radius: 4px;
  background: #fff; color: inherit; text-decoration: none; cursor: pointer; }
[hidden] { display: none !important; }
pre { background: #f0f2f5; padding: 1rem; overflow-x: auto; }
`;

/** A small gate, served as /favicon.ico and /favicon.svg on every origin a browser sees. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1d4ed8"/><path d="M8 26V12a8 8 0 0 1 16 0v14h-4V12a4 4 0 0 0-8 0v14z" fill="#fff"/></svg>
`;

/** The paths the favicon is served at. */
export const FAVICON_PATHS: readonly string[] = ['/favicon.ico', '/favicon.svg'];
