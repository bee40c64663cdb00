/** Where the lines go: process.stdout in production, anything with `write` in tests. */
export interface LineSink {
  write(chunk: string): unknown;
}

/** A pino destination that also supports `logger.flush(cb)`. */
export interface BatchedDestination {
  write(line: string): void;
  /** Writes what is pending now; calls `done` afterwards (pino's `logger.flush(cb)`). */
  flush(done?: (err?: Error) => void): void;
}

/**
 * Collects log lines written during one turn of the event loop and hands them to `sink` in
 * one write. Every service writes an access-log line per request; in the gateway one write
 * syscall per line cost more than proxying the request did (measured with bench/gateway.mjs). Lines are
 * delayed by at most one loop turn; `maxBytes` bounds the memory held. process.stdout is
 * synchronous on Linux for files and pipes, so a flush on `exit` loses nothing.
 *
 * @example
 * const destination = batchedDestination(process.stdout);
 * process.once('exit', () => destination.flush());
 * const logger = createLogger({ service: 'gateway', destination });
 * // runService does exactly this for every service.
 */
export function batchedDestination(sink: LineSink, maxBytes = 64 * 1024): BatchedDestination {
  let pending = '';
  let scheduled = false;
  const flush = (done?: (err?: Error) => void) => {
    scheduled = false;
    if (pending.length > 0) {
      const chunk = pending;
      pending = '';
      sink.write(chunk);
    }
    done?.();
  };
  const flushLater = () => flush();
  return {
    write(line) {
      pending += line;
      if (pending.length >= maxBytes) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flushLater);
      }
    },
    flush,
  };
}
