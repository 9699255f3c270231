// Measures the JetStream publish rate of NatsIngestBus.publishBatch on this machine (not part of
// `npm test`): npx tsx test/measure/nats-publish-rate.ts
// Publishes a simulated town (20,000 subjects, 365 days) in calls of 100, 1,000 and 5,000 records
// to a fresh 4-partition stream, then retries one call with the same key (all duplicates), and
// deletes the stream.
import { NatsIngestBus } from '../../src/adapters/nats/nats-ingest-bus.ts';
import { randomStreamName } from '../helpers/nats.ts';
import { simulateTown } from '../../src/app/simulate.ts';
const bus = await NatsIngestBus.connect({ url: 'nats://127.0.0.1:4222', partitions: 4, stream: randomStreamName() });
const recs = [];
for (const it of simulateTown({ subjects: 20000, days: 365, seed: 1, start: '2024-01-01' })) if (it.kind === 'record') recs.push(it.record);
console.log('records', recs.length);
for (const size of [100, 1000, 5000]) {
  let t = performance.now(); let msgs = 0;
  for (let i = 0; i < recs.length; i += size) msgs += (await bus.publishBatch(recs.slice(i, i + size), { idempotencyKey: `s${size}-${i}` })).messages;
  let s = (performance.now() - t) / 1000;
  console.log(`batch ${size}: ${Math.round(recs.length / s)} records/s, ${Math.round(msgs / s)} msgs/s`);
  t = performance.now();
  const r = await bus.publishBatch(recs.slice(0, size), { idempotencyKey: `s${size}-0` });
  console.log('retry', r);
}
console.log('backlog', await bus.backlog());
await bus.deleteStream();
await bus.close();
