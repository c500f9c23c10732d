// Request bodies: gzip-compressed JSON (docs/PROTOCOL.md). Uncompressed JSON is accepted too, for
// curl and debugging; the device always compresses. Inflation stops as soon as the output crosses
// the limit, so a decompression bomb costs at most that much work.
import { promisify } from 'node:util';
import { gunzip as gunzipCb, type InputType, type ZlibOptions } from 'node:zlib';
import { HttpError } from './http-error.js';
import { nestsDeeperThan } from './json-depth.js';

/** The deepest a protocol body nests: the envelope (1) > events (2) > an event (3) > context or
 *  health counters (4). 16 leaves room for future fields; anything deeper is not telemetry. */
export const MAX_JSON_DEPTH = 16;

const gunzip = promisify(gunzipCb) as (buf: InputType, opts: ZlibOptions) => Promise<Buffer>;

/** Decodes a raw body into a JSON value nested at most MAX_JSON_DEPTH deep, or throws an
 *  HttpError (400 or 413). */
export async function decodeJsonBody(raw: unknown, contentEncoding: string | undefined, maxInflatedBytes: number): Promise<unknown> {
  if (!Buffer.isBuffer(raw) || raw.length === 0) throw new HttpError(400, 'empty_body', 'expected a gzip-compressed JSON body');
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  let json: Buffer;
  if (encoding === 'gzip' || encoding === 'x-gzip') {
    try {
      // Async: inflation runs on the libuv pool, not on the event loop serving other requests.
      json = await gunzip(raw, { maxOutputLength: maxInflatedBytes });
    } catch (e) {
      if ((e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new HttpError(413, 'payload_too_large', `more than ${maxInflatedBytes} bytes after gunzip`);
      }
      throw new HttpError(400, 'not_gzip', 'Content-Encoding is gzip but the body is not valid gzip');
    }
  } else if (encoding === 'identity') {
    if (raw.length > maxInflatedBytes) throw new HttpError(413, 'payload_too_large', `more than ${maxInflatedBytes} bytes`);
    json = raw;
  } else {
    throw new HttpError(400, 'unsupported_content_encoding', 'use Content-Encoding: gzip');
  }
  // Before parsing: a deep body is refused as a whole, so nothing after the parse recurses into it.
  if (nestsDeeperThan(json, MAX_JSON_DEPTH)) throw new HttpError(400, 'too_deep', `JSON nested more than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(json.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'malformed_json', 'the body is not valid JSON');
  }
}
