// NATS JetStream as the durable ingest buffer (nats-server 2.9 with JetStream, npm `nats` 2.29):
// one work-queue stream, message id = batch id (JetStream drops a re-sent one within its
// duplicate window), one durable pull consumer shared by every writer, explicit acks.
import { AckPolicy, connect, DeliverPolicy, nanos, RetentionPolicy, StorageType, type NatsConnection } from 'nats';
import type { IngestEvent } from '../../store.js';
import type { BufferedMessage, IngestBuffer, PublishResult } from '../ingest-buffer.js';

export const STREAM = 'TELEMETRY';
export const SUBJECT = 'telemetry.ingest';
export const DURABLE = 'writers';
/** JetStream remembers message ids this long: a device re-sends an unacknowledged batch within
 *  seconds to minutes (its backoff caps at 5 min), so 10 min covers every retry. */
const DUPLICATE_WINDOW_MS = 10 * 60_000;
/** A message a writer took but did not ack (crashed, stuck) goes to another writer after this. */
export const ACK_WAIT_MS = 30_000;
/** How long a publish waits for JetStream's ack before the collector answers 503. */
const PUBLISH_TIMEOUT_MS = 5_000;
/** NATS's default max_payload is 1 MiB: a batch's events are split into parts below it. */
const MAX_PART_BYTES = 768 * 1024;

export interface NatsOptions {
  /** e.g. `nats://127.0.0.1:4222` (comma-separated for several). */
  servers: string;
  /** For logs and the NATS monitoring page. */
  name?: string;
}

export async function connectNats(o: NatsOptions): Promise<NatsConnection> {
  try {
    // Reconnects for ever: a JetStream restart must not end a collector or a writer.
    return await connect({ servers: o.servers.split(','), name: o.name, maxReconnectAttempts: -1, reconnectTimeWait: 250, timeout: 5_000 });
  } catch (e) {
    throw new Error(`cannot reach NATS at ${o.servers}: ${(e as Error).message}`, { cause: e });
  }
}

/** Creates the stream where missing (idempotent; any collector or writer may be first). */
export async function ensureStream(nc: NatsConnection): Promise<void> {
  const jsm = await nc.jetstreamManager();
  try {
    await jsm.streams.info(STREAM);
  } catch {
    await jsm.streams.add({ name: STREAM, subjects: [SUBJECT], retention: RetentionPolicy.Workqueue, storage: StorageType.File, duplicate_window: nanos(DUPLICATE_WINDOW_MS) });
  }
}

/** Creates (or updates the ack wait of) the one durable consumer every writer shares. */
export async function ensureConsumer(nc: NatsConnection, ackWaitMs = ACK_WAIT_MS): Promise<void> {
  const jsm = await nc.jetstreamManager();
  const config = { durable_name: DURABLE, ack_policy: AckPolicy.Explicit, ack_wait: nanos(ackWaitMs), deliver_policy: DeliverPolicy.All, max_ack_pending: 10_000 };
  try {
    const info = await jsm.consumers.info(STREAM, DURABLE);
    if (info.config.ack_wait !== config.ack_wait) await jsm.consumers.update(STREAM, DURABLE, { ack_wait: config.ack_wait });
  } catch {
    await jsm.consumers.add(STREAM, config);
  }
}

/** Splits a message into parts each below NATS's payload limit (a batch's events in order). */
export function partsOf(message: BufferedMessage): BufferedMessage[] {
  if (message.kind !== 'batch') return [message];
  const parts: BufferedMessage[] = [];
  let events: IngestEvent[] = [];
  let bytes = 0;
  for (const e of message.events) {
    const size = JSON.stringify(e).length;
    if (events.length > 0 && bytes + size > MAX_PART_BYTES) {
      parts.push({ ...message, events, health: undefined });
      events = [];
      bytes = 0;
    }
    events.push(e);
    bytes += size;
  }
  parts.push({ ...message, events });
  return parts;
}

export class JetStreamBuffer implements IngestBuffer {
  private constructor(private readonly nc: NatsConnection) {}

  static async open(o: NatsOptions): Promise<JetStreamBuffer> {
    const nc = await connectNats(o);
    try {
      await ensureStream(nc);
    } catch (e) {
      await nc.close();
      throw new Error(`NATS at ${o.servers} has no JetStream (start nats-server with a jetstream block): ${(e as Error).message}`, { cause: e });
    }
    return new JetStreamBuffer(nc);
  }

  async publish(id: string, message: BufferedMessage): Promise<PublishResult> {
    const js = this.nc.jetstream();
    const parts = partsOf(message);
    let duplicate = true;
    for (const [i, part] of parts.entries()) {
      const ack = await js.publish(SUBJECT, JSON.stringify(part), { msgID: parts.length === 1 ? id : `${id}.${i}`, timeout: PUBLISH_TIMEOUT_MS });
      duplicate &&= ack.duplicate;
    }
    return { duplicate };
  }

  async close(): Promise<void> {
    await this.nc.drain().catch(() => undefined);
  }
}
