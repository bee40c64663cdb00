/** One request of a traffic run: when it started (ms since the epoch) and how it ended. */
export interface TrafficResult {
  readonly startedAt: number;
  /** The HTTP status; 0 when no response came (connection refused or reset). */
  readonly status: number;
  /** The JSON `error` code of a failed response, if it had one. */
  readonly error?: string;
}

export interface Traffic {
  /** The results so far, in the order they finished (for polling: `until(...)`). */
  seen(): readonly TrafficResult[];
  /** Ends the loops and resolves to every result, in the order they finished. */
  stop(): Promise<TrafficResult[]>;
}

/**
 * Keeps `concurrency` requests in flight, each loop sending the next as soon as the last
 * answered, until `stop`: load for tests that break something underneath (a database stopped,
 * a replica killed) and then read what every request saw.
 *
 * @example
 * const traffic = startTraffic(() => fetch(`${url}/api/me`, { headers }), 4);
 * kill(replica);
 * const results = await traffic.stop();
 */
export function startTraffic(send: () => Promise<Response>, concurrency: number): Traffic {
  const results: TrafficResult[] = [];
  let running = true;
  const loop = async () => {
    while (running) {
      const startedAt = Date.now();
      try {
        const res = await send();
        const text = await res.text();
        let error: string | undefined;
        if (res.status >= 400) {
          try {
            error = (JSON.parse(text) as { error?: string }).error;
          } catch {
            error = undefined;
          }
        }
        results.push({ startedAt, status: res.status, ...(error && { error }) });
      } catch {
        results.push({ startedAt, status: 0 });
        // A refused connection fails at once: do not spin.
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    seen: () => results,
    async stop() {
      running = false;
      await Promise.all(loops);
      return results;
    },
  };
}
