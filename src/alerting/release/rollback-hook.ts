// Calling the configured rollback hook with the evidence: a command (evidence as JSON on stdin,
// the versions in the environment; exit 0 = done) or a webhook (evidence POSTed as JSON, retried
// with backoff). The outcome is returned, never thrown: the monitor records it.
import { spawn } from 'node:child_process';
import { deliver, type RetryPolicy, type Sleep } from '../notify/delivery.js';
import { webhookNotifier } from '../notify/notifier.js';
import type { RollbackHook } from '../rule.js';

export interface RollbackOutcome {
  status: 'delivered' | 'failed';
  detail: string;
}

/** Output kept from a command, for the history: enough to see why it failed. */
const OUTPUT_LIMIT = 2_000;

export async function callRollbackHook(hook: RollbackHook, evidence: { version: string; baseline: string } & Record<string, unknown>, retry: RetryPolicy, sleep: Sleep): Promise<RollbackOutcome> {
  if (hook.kind === 'webhook') {
    const out = await deliver(webhookNotifier('rollback', hook.url), { subject: '', text: '', json: evidence }, retry, sleep);
    return out.status === 'delivered' ? { status: 'delivered', detail: `POST ${hook.url}: accepted after ${out.attempts} attempt(s)` } : { status: 'failed', detail: `POST ${hook.url}: ${out.error} after ${out.attempts} attempt(s)` };
  }
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(hook.command, hook.args, { env: { ...process.env, ROLLBACK_VERSION: evidence.version, ROLLBACK_BASELINE: evidence.baseline }, stdio: ['pipe', 'pipe', 'pipe'] });
    const keep = (d: Buffer) => {
      if (output.length < OUTPUT_LIMIT) output += d.toString('utf8').slice(0, OUTPUT_LIMIT - output.length);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), hook.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ status: 'failed', detail: `${hook.command}: ${e.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const tail = output.trim() === '' ? '' : `: ${output.trim()}`;
      resolve(code === 0 ? { status: 'delivered', detail: `${hook.command} exited 0${tail}` } : { status: 'failed', detail: `${hook.command} ${signal ? `killed by ${signal}` : `exited ${code}`}${tail}` });
    });
    child.stdin.on('error', () => {}); // a command that does not read stdin must not fail the call
    child.stdin.end(JSON.stringify(evidence));
  });
}
