import { describe, expect, it } from '@jest/globals';
import { batchedDestination } from '../src/index.js';

function sink() {
  const writes: string[] = [];
  return { writes, write: (chunk: string) => writes.push(chunk) };
}

describe('batchedDestination', () => {
  it('when several lines are written in one turn, then the sink gets one write on the next turn', async () => {
    const target = sink();
    const destination = batchedDestination(target);
    destination.write('a\n');
    destination.write('b\n');
    expect(target.writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(target.writes).toEqual(['a\nb\n']);
  });

  it('when pending lines reach maxBytes, then they are written at once', () => {
    const target = sink();
    const destination = batchedDestination(target, 4);
    destination.write('abcd\n');
    expect(target.writes).toEqual(['abcd\n']);
  });

  it('when flushed, then pending lines are written and the callback runs', () => {
    const target = sink();
    const destination = batchedDestination(target);
    destination.write('x\n');
    let done = false;
    destination.flush(() => (done = true));
    expect(target.writes).toEqual(['x\n']);
    expect(done).toBe(true);
  });
});
