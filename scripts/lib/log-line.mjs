/**
 * Labels every line a service prints with its name, padded so the columns line up. In a
 * terminal the label is coloured and pino's JSON is shortened to `time LEVEL msg {rest}`;
 * piped output (CI, files) keeps the raw JSON so it stays machine-readable.
 */

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90 };
const LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_COLORS = { 40: 'yellow', 50: 'red', 60: 'red' };
const LABEL_WIDTH = 9;
// pino fields that every line repeats; dropped from the terminal view only.
const NOISE = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service', 'name']);

/** Whether `stream` should get ANSI colours (a TTY, and NO_COLOR unset). */
export function wantsColor(stream, env) {
  return Boolean(stream.isTTY) && !env.NO_COLOR;
}

export function paint(text, color, colors) {
  return colors && CODES[color] ? `\u001b[${CODES[color]}m${text}\u001b[0m` : text;
}

/** `[label]   ` in the label's colour. */
export function prefix(label, color, colors) {
  return paint(`[${label}]`.padEnd(LABEL_WIDTH), color, colors);
}

/** One output line of a service, ready to print. */
export function formatLine(label, color, line, colors) {
  const text = colors ? humanize(line, colors) : line;
  const head = prefix(label, color, colors);
  return text
    .split('\n')
    .map((part) => `${head} ${part}`)
    .join('\n');
}

function humanize(line, colors) {
  let record;
  try {
    record = JSON.parse(line);
  } catch {
    return line;
  }
  if (!record || typeof record !== 'object' || typeof record.level !== 'number') return line;
  const time = new Date(record.time ?? Date.now()).toTimeString().slice(0, 8);
  const level = paint(
    (LEVELS[record.level] ?? String(record.level)).padEnd(5),
    LEVEL_COLORS[record.level],
    colors,
  );
  const rest = Object.fromEntries(Object.entries(record).filter(([key]) => !NOISE.has(key)));
  // A logged error's stack reads better on its own lines than inside escaped JSON.
  const stack = typeof rest.err?.stack === 'string' ? `\n${rest.err.stack}` : '';
  if (stack) rest.err = { ...rest.err, stack: undefined };
  const extra =
    Object.keys(rest).length > 0 ? ` ${paint(JSON.stringify(rest), 'gray', colors)}` : '';
  return `${paint(time, 'gray', colors)} ${level} ${record.msg ?? ''}${extra}${stack}`;
}
