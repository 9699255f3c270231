// The pure parts of the JetStream ingest path and its configuration: partitioning is stable
// and spreads subjects, partition sets parse strictly, and the bus settings fail fast.
import { describe, expect, it } from 'vitest';
import { partitionOf, subjectPrefix } from '../src/adapters/nats/nats-ingest-bus.ts';
import { parsePartitionSet } from '../src/adapters/nats/nats-worker.ts';
import { ConfigError, loadConfig } from '../src/config/config.ts';

describe('partitionOf', () => {
  it('is stable: the same subject always lands in the same partition (FNV-1a, fixed values)', () => {
    // FNV-1a('a') = 0xe40c292c, the published test vector; changing the hash would move
    // subjects between partitions of a running stream, so these values are frozen.
    expect(partitionOf('a', 1024)).toBe(0xe40c292c % 1024);
    expect(partitionOf('371082199000000017', 1024)).toBe(47);
    expect(partitionOf('371082199000000017', 4)).toBe(3);
    expect(partitionOf('anything', 1)).toBe(0);
  });

  it('spreads subjects evenly over partitions', () => {
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 80_000; i++) counts[partitionOf(`3710821990${String(i).padStart(8, '0')}`, 8)]++;
    for (const n of counts) expect(Math.abs(n - 10_000)).toBeLessThan(600);
  });

  it('keeps the default stream on credence.ingest.<p> and other streams apart', () => {
    expect(subjectPrefix('CREDENCE_INGEST')).toBe('credence.ingest');
    expect(subjectPrefix('CREDENCE_TEST_1')).toBe('credence.ingest.CREDENCE_TEST_1');
  });
});

describe('parsePartitionSet', () => {
  it.each([
    ['0-3', 4, [0, 1, 2, 3]],
    ['2', 4, [2]],
    ['0,2,5-7', 8, [0, 2, 5, 6, 7]],
    ['3-3, 1', 4, [1, 3]],
  ] as const)('reads %s of %i partitions', (spec, n, expected) => {
    expect(parsePartitionSet(spec, n)).toEqual(expected);
  });

  it.each([['4', 4], ['0-4', 4], ['3-1', 4], ['a', 4], ['', 4], ['-1', 4], ['1.5', 4]] as const)('refuses %j of %i partitions', (spec, n) => {
    expect(() => parsePartitionSet(spec, n)).toThrow(RangeError);
  });
});

describe('bus configuration', () => {
  it('defaults to direct ingest, no NATS, 4 partitions, stream CREDENCE_INGEST', () => {
    const c = loadConfig({});
    expect([c.ingestMode, c.natsUrl, c.partitions, c.natsStream]).toEqual(['direct', null, 4, 'CREDENCE_INGEST']);
  });

  it('reads the environment', () => {
    const c = loadConfig({ CREDENCE_INGEST_MODE: 'nats', CREDENCE_NATS_URL: 'nats://n:4222', CREDENCE_PARTITIONS: '256', CREDENCE_NATS_STREAM: 'S_1' });
    expect([c.ingestMode, c.natsUrl, c.partitions, c.natsStream]).toEqual(['nats', 'nats://n:4222', 256, 'S_1']);
  });

  it.each([
    [{ CREDENCE_INGEST_MODE: 'kafka' }],
    [{ CREDENCE_INGEST_MODE: 'nats' }],
    [{ CREDENCE_PARTITIONS: '0' }],
    [{ CREDENCE_PARTITIONS: '2000' }],
    [{ CREDENCE_PARTITIONS: 'four' }],
    [{ CREDENCE_NATS_STREAM: 'bad.name' }],
  ])('fails fast on %j', (env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
  });
});
