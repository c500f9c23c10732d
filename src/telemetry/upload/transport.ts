// How a request is sent: a small port, so tests and hosts can hand in another transport. The
// default uses node:http/https directly (TLS always verified; an extra CA can be trusted).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

export interface HttpTransport {
  /** Rejects on network errors and timeouts; resolves with any HTTP status. */
  post(url: string, body: Buffer, headers: Record<string, string>, timeoutMs: number): Promise<HttpResponse>;
}

/** A response body larger than this is not read further: the protocol's answers are small. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

export function createNodeTransport(options: { ca?: string | Buffer } = {}): HttpTransport {
  return {
    post(url, body, headers, timeoutMs) {
      return new Promise((resolve, reject) => {
        const u = new URL(url);
        const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
        const req = send(
          u,
          {
            method: 'POST',
            headers: { ...headers, 'Content-Length': String(body.length) },
            ...(u.protocol === 'https:' ? { ca: options.ca, rejectUnauthorized: true } : {}),
          },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (c: Buffer) => {
              size += c.length;
              if (size <= MAX_RESPONSE_BYTES) chunks.push(c);
            });
            res.on('end', () => {
              clearTimeout(timer);
              const h: Record<string, string | undefined> = {};
              for (const [k, v] of Object.entries(res.headers)) h[k] = Array.isArray(v) ? v.join(', ') : v;
              resolve({ status: res.statusCode ?? 0, headers: h, body: Buffer.concat(chunks).toString('utf8') });
            });
            res.on('error', (e) => {
              clearTimeout(timer);
              reject(e);
            });
          },
        );
        const timer = setTimeout(() => req.destroy(Object.assign(new Error(`timed out after ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
        req.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
        req.end(body);
      });
    },
  };
}
