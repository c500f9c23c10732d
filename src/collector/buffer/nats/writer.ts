// A writer: takes messages from the JetStream consumer every writer shares, stores them with the
// configured store (idempotent: SQLite ignores a known id, ClickHouse collapses it) and only then
// acks them. A writer killed mid-message loses nothing: the message is redelivered after
// ACK_WAIT_MS to another writer (or to it, restarted). Deletions wait until every message before
// them has been stored, so no batch queued before a deletion can bring deleted rows back.
import type { NatsConnection } from 'nats';
import type { CollectorStore } from '../../store.js';
import type { BufferedMessage } from '../ingest-buffer.js';
import { connectNats, DURABLE, ensureConsumer, ensureStream, STREAM, type NatsOptions } from './jetstream.js';

export interface WriterOptions extends NatsOptions {
  store: CollectorStore;
  /** Messages taken per fetch. */
  batch?: number;
  /** How long a taken message may stay unacked before it goes to another writer (default 30 s). */
  ackWaitMs?: number;
  /** Called after each stored message (tests, metrics). */
  onStored?: (info: { kind: BufferedMessage['kind']; events: number; streamSeq: number; redelivered: boolean }) => void;
  onError?: (err: unknown) => void;
}

export interface WriterCounters {
  stored: number;
  events: number;
  redelivered: number;
  failures: number;
}

export interface Writer {
  readonly counters: WriterCounters;
  /** Stops taking messages, finishes the one in hand, closes the connection (not the store). */
  stop(): Promise<void>;
}

const DEFAULT_FETCH = 32;
/** How long one fetch waits for messages before asking again. */
const FETCH_EXPIRES_MS = 1_000;
/** A failed store, or a deletion that must wait for earlier messages: redelivered after this. */
const RETRY_DELAY_MS = 500;
/** After a lost connection or a failed fetch, the pause before fetching again. */
const RECONNECT_PAUSE_MS = 250;

export async function startWriter(o: WriterOptions): Promise<Writer> {
  const nc: NatsConnection = await connectNats(o);
  await ensureStream(nc);
  await ensureConsumer(nc, o.ackWaitMs);
  const js = nc.jetstream();
  const jsm = await nc.jetstreamManager();
  const counters: WriterCounters = { stored: 0, events: 0, redelivered: 0, failures: 0 };
  let running = true;

  const loop = (async () => {
    while (running) {
      try {
        const consumer = await js.consumers.get(STREAM, DURABLE);
        const messages = await consumer.fetch({ max_messages: o.batch ?? DEFAULT_FETCH, expires: FETCH_EXPIRES_MS });
        for await (const m of messages) {
          const message = m.json<BufferedMessage>();
          const seq = m.info.streamSequence;
          try {
            if (message.kind === 'batch') {
              if (message.events.length > 0) await o.store.ingest(message.events, message.receivedAt);
              if (message.health !== undefined) await Promise.resolve(o.store.recordClientHealth(message.health.deviceId, message.health.health, message.receivedAt)).catch(() => undefined);
            } else {
              // Work queue: acked messages leave the stream, so its first sequence is the oldest
              // one not yet stored. Anything older than this deletion must be stored first.
              const info = await jsm.streams.info(STREAM);
              if (info.state.first_seq < seq) {
                m.nak(RETRY_DELAY_MS);
                continue;
              }
              await o.store.forget(message.requests, message.at);
            }
          } catch (err) {
            counters.failures++;
            o.onError?.(err);
            m.nak(RETRY_DELAY_MS);
            continue;
          }
          // Acked only now, and confirmed by the server: a crash before this line redelivers it.
          await m.ackAck();
          counters.stored++;
          if (m.redelivered) counters.redelivered++;
          const events = message.kind === 'batch' ? message.events.length : 0;
          counters.events += events;
          o.onStored?.({ kind: message.kind, events, streamSeq: seq, redelivered: m.redelivered });
        }
      } catch (err) {
        if (!running) break;
        o.onError?.(err);
        await new Promise((r) => setTimeout(r, RECONNECT_PAUSE_MS));
      }
    }
  })();

  return {
    counters,
    async stop() {
      running = false;
      await loop;
      await nc.drain().catch(() => undefined);
    },
  };
}
