// One load measurement with autocannon against 127.0.0.1: a fixed duration (or fewer requests when
// a scenario's pool of one-time credentials runs out), every response's status counted.
import autocannon from "autocannon";

/**
 * @param {object} o
 * @param {string} o.url            base URL (http://127.0.0.1:<port>)
 * @param {string} o.path
 * @param {string} [o.method]
 * @param {number} o.connections
 * @param {number} o.duration       seconds
 * @param {number} [o.maxRequests]  stop after this many responses
 * @param {() => object} [o.next]   per request: { body?, headers? } (bodies are JSON-encoded)
 * @param {(status: number, body: string) => void} [o.onResponse]
 * @param {number} o.expectStatus   the status every response of this scenario should have
 */
export async function measure(o) {
  const statuses = {};
  const samples = [];
  const headers = { "content-type": "application/json" };
  const request = {
    method: o.method ?? "GET",
    path: o.path,
    headers,
    onResponse: (status, body) => {
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status !== o.expectStatus && samples.length < 3) samples.push(`${status} ${body.slice(0, 160)}`);
      o.onResponse?.(status, body);
    },
  };
  if (o.next) {
    request.setupRequest = (req) => {
      const extra = o.next();
      return {
        ...req,
        headers: { ...headers, ...(extra.headers ?? {}) },
        body: extra.body === undefined ? undefined : JSON.stringify(extra.body),
      };
    };
  } else if (o.headers) {
    request.headers = { ...headers, ...o.headers };
  }
  const result = await autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.duration,
    pipelining: 1,
    timeout: 30,
    ...(o.maxRequests ? { maxOverallRequests: Math.max(o.maxRequests, o.connections) } : {}),
    requests: [request],
  });
  const responses = Object.values(statuses).reduce((a, b) => a + b, 0);
  const expected = statuses[o.expectStatus] ?? 0;
  return {
    connections: o.connections,
    seconds: Number(result.duration.toFixed(2)),
    responses,
    requestsPerSecond: Number((responses / result.duration).toFixed(1)),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    meanMs: Number(result.latency.mean.toFixed(2)),
    unexpected: responses - expected,
    errors: result.errors + result.timeouts,
    statuses,
    ...(samples.length ? { unexpectedSamples: samples } : {}),
  };
}
