/** Plain-text tables: the first column left-aligned, the figures right-aligned. */

/** Prints `title`, a header line and one line per row; cells are strings. */
export function printTable({ title, header, rows, firstWidth, width = 10 }) {
  const line = (cells) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(firstWidth) : cell.padStart(width))).join(' ');
  console.log(`\n${title}`);
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

/** `n` with `digits` decimals, or 'n/a' where it could not be measured (no /proc, no nginx). */
export const fixed = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** 'met' / 'NOT met', for the goal lines under a table. */
export const verdict = (met) => (met ? 'met' : 'NOT met');

/** The req/s, p50 ms and p99 ms cells every load table starts with. */
export const rateCells = ({ rps, p50, p99 }) => [fixed(rps), fixed(p50, 2), fixed(p99, 2)];
