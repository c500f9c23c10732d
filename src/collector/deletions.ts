// `POST /v1/deletions` bodies (docs/PROTOCOL.md): requests to forget withdrawn anonymous ids.
import { z } from 'zod';
import { describeIssues, isPlainObject, SCHEMA_VERSION, type BatchLimits } from './batch.js';
import { HttpError } from './http-error.js';
import type { DeletionRequest } from './store.js';

/** Request ids are logged, so they are held to a shape that cannot carry anything else. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

const deletionsSchema = z.object({
  schema_version: z.literal(SCHEMA_VERSION),
  sent_at: z.iso.datetime({ offset: true }),
  requests: z
    .array(
      z.object({
        request_id: z.string().regex(REQUEST_ID_PATTERN, 'must be an identifier of at most 64 characters'),
        user_id: z.uuid(),
        device_id: z.uuid(),
        requested_at: z.iso.datetime({ offset: true }),
      }),
    )
    .min(1),
});

export function parseDeletions(body: unknown, limits: BatchLimits): DeletionRequest[] {
  if (!isPlainObject(body)) throw new HttpError(400, 'malformed', 'the body must be a JSON object');
  if (body.schema_version !== SCHEMA_VERSION) throw new HttpError(400, 'unsupported_schema_version', `schema_version must be ${SCHEMA_VERSION}`);
  if (Array.isArray(body.requests) && body.requests.length > limits.maxDeletionRequests) {
    throw new HttpError(413, 'too_many_requests', `at most ${limits.maxDeletionRequests} deletion requests per call`);
  }
  const parsed = deletionsSchema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, 'malformed', describeIssues(parsed.error, '(body)'));
  return parsed.data.requests.map((r) => ({ ...r, requested_at: Date.parse(r.requested_at) }));
}
