import { describe, expect, it } from '@jest/globals';
import { createHttpMetrics } from '../src/index.js';

const requestLines = (text: string) =>
  text.split('\n').filter((line) => line.startsWith('http_requests_total{'));

describe('HTTP metrics', () => {
  it('when requests are observed between two reads, then the counter and the histogram count each once', async () => {
    const metrics = createHttpMetrics('test', { defaults: false });
    for (let i = 0; i < 3; i++) metrics.observe('GET', '/api/*', 200, 0.002);
    metrics.observe('POST', '/api/*', 500, 0.2);

    const first = await metrics.registry.metrics();
    expect(requestLines(first)).toEqual([
      'http_requests_total{method="GET",route="/api/*",status="200",service="test"} 3',
      'http_requests_total{method="POST",route="/api/*",status="500",service="test"} 1',
    ]);
    expect(first).toContain(
      'http_request_duration_seconds_count{service="test",method="GET",route="/api/*",status="200"} 3',
    );

    metrics.observe('GET', '/api/*', 200, 0.002);
    const second = await metrics.registry.metrics();
    expect(requestLines(second)[0]).toMatch(/ 4$/);
    expect(second).toContain(
      'http_request_duration_seconds_count{service="test",method="GET",route="/api/*",status="200"} 4',
    );
  });

  it('when the registry is read as JSON, then the counter is up to date too', async () => {
    const metrics = createHttpMetrics('test', { defaults: false });
    metrics.observe('GET', '/healthz', 200, 0.001);
    const json = await metrics.registry.getMetricsAsJSON();
    const counter = json.find((metric) => metric.name === 'http_requests_total');
    expect(counter?.values.map((value) => value.value)).toEqual([1]);
  });
});
