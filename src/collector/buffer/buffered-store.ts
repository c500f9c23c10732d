// The collector's store when a durable buffer sits between it and the stores: the same port, so
// the server is the same code, but "stored" means "acknowledged by the buffer" (JetStream has it
// on disk). Writers (writer.ts) do the storing.
import { createHash } from 'node:crypto';
import type { CollectorStore, DeletionRequest, ForgetResult, IngestEvent, IngestResult } from '../store.js';
import { batchId, type IngestBuffer } from './ingest-buffer.js';

export class BufferedStore implements CollectorStore {
  constructor(readonly buffer: IngestBuffer) {}

  async ingest(events: readonly IngestEvent[], receivedAt: number): Promise<IngestResult> {
    const r = await this.buffer.publish(batchId(events), { kind: 'batch', receivedAt, events: [...events] });
    // A batch the buffer already has (a device re-sending after a lost answer) is a duplicate.
    return r.duplicate ? { accepted: 0, duplicates: events.length } : { accepted: events.length, duplicates: 0 };
  }

  /** Queued in order behind every batch before it; the writers carry it out. How many events it
   *  deleted is not known yet here (0): the writer's store logs the count. */
  async forget(requests: readonly DeletionRequest[], at: number): Promise<ForgetResult> {
    const id = createHash('sha256').update(requests.map((r) => r.request_id).join('\n')).digest('hex').slice(0, 32);
    await this.buffer.publish(`deletions.${id}`, { kind: 'deletions', at, requests: [...requests] });
    return { done: requests.map((r) => r.request_id), deletedEvents: 0 };
  }

  async recordClientHealth(deviceId: string, health: unknown, at: number): Promise<void> {
    await this.buffer.publish(`health.${deviceId}.${at}`, { kind: 'batch', receivedAt: at, events: [], health: { deviceId, health } });
  }

  close(): Promise<void> {
    return this.buffer.close();
  }
}
