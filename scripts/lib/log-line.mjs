/**
 * Labels every line a service prints with its name, padded so the columns line up. In a
 * terminal the label is coloured and pino's JSON is shortened to `time LEVEL msg {rest}`;
 * piped output (CI, files) keeps the raw JSON so it stays machine-readable.
 */

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90 };
// pino writes level labels (shared createLogger); numbers are accepted for other loggers.
const LEVELS = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const LEVEL_COLORS = { warn: 'yellow', error: 'red', fatal: 'red' };
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
  if (!record || typeof record !== 'object' || record.level === undefined) return line;
  const label = String(LEVELS[record.level] ?? record.level);
  const time = new Date(record.time ?? Date.now()).toTimeString().slice(0, 8);
  const level = paint(label.toUpperCase().padEnd(5), LEVEL_COLORS[label], colors);
  const rest = Object.fromEntries(Object.entries(record).filter(([key]) => !NOISE.has(key)));
  // A logged error's stack reads better on its own lines than inside escaped JSON.
  const stack = typeof rest.err?.stack === 'string' ? `\n${rest.err.stack}` : '';
  if (stack) rest.err = { ...rest.err, stack: undefined };
  const extra =
    Object.keys(rest).length > 0 ? ` ${paint(JSON.stringify(rest), 'gray', colors)}` : '';
  return `${paint(time, 'gray', colors)} ${level} ${record.msg ?? ''}${extra}${stack}`;
}
