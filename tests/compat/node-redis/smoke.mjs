// Smoke test: the node-redis client (npm `redis`), unmodified, against a running RingKV cluster.
//
//   node smoke.mjs <node-port> [<node-port> ...]
//
// 1. Standalone mode (`createClient`) against the first node: SET GET MSET MGET INCR APPEND DEL EXISTS EXPIRE TTL.
//    The node proxies keys it does not own, so a client that knows nothing of clusters works through any node.
// 2. Cluster mode (`createCluster`) with every node as a root node: the client learns the topology from
//    CLUSTER SLOTS, then writes and reads back 200 keys spread over the hash slots, each sent to its slot's owner.
//
// Prints one JSON line ({"ok":...,"standalone":...,"cluster":...}) and exits 0 only when every reply matched.
// Keys carry a per-run prefix so runs against a shared cluster do not collide. A watchdog ends a hung run.

import { createClient, createCluster } from 'redis';

const HOST = '127.0.0.1';
const CLUSTER_KEYS = 200;
const WATCHDOG_MS = 60_000;

const ports = process.argv.slice(2).map(Number);
if (ports.length === 0 || ports.some(p => !Number.isInteger(p) || p <= 0 || p > 65535)) {
    console.error('usage: node smoke.mjs <node-port> [<node-port> ...]');
    process.exit(2);
}

const prefix = `nrs:${process.pid}:${Date.now().toString(36)}:`;
const mismatches = [];
const summary = { ok: false, client: 'node-redis', ports, standalone: {}, cluster: {}, mismatches };

const watchdog = setTimeout(() => {
    summary.error = `timed out after ${WATCHDOG_MS} ms`;
    console.log(JSON.stringify(summary));
    process.exit(3);
}, WATCHDOG_MS);

/** Records a mismatch unless `actual` deep-equals `expected` (compared as JSON). */
function expect(step, actual, expected) {
    const a = JSON.stringify(actual);
    const e = JSON.stringify(expected);
    if (a !== e) {
        mismatches.push(`${step}: expected ${e}, got ${a}`);
    }
}

const socket = port => ({ host: HOST, port, connectTimeout: 5000, reconnectStrategy: false });

async function main() {
    const client = createClient({ socket: socket(ports[0]), name: 'node-redis-smoke' });
    client.on('error', err => mismatches.push(`standalone client error: ${err.message}`));
    await client.connect();
    try {
        const k = name => `${prefix}s:${name}`;
        expect('SET', await client.set(k('a'), 'alpha'), 'OK');
        expect('GET', await client.get(k('a')), 'alpha');
        expect('GET missing', await client.get(k('missing')), null);
        expect('MSET', await client.mSet({ [k('m1')]: 'one', [k('m2')]: 'two', [k('m3')]: 'three' }), 'OK');
        expect('MGET', await client.mGet([k('m1'), k('m2'), k('missing'), k('m3')]), ['one', 'two', null, 'three']);
        expect('INCR new key', await client.incr(k('counter')), 1);
        expect('INCR', await client.incr(k('counter')), 2);
        expect('GET after INCR', await client.get(k('counter')), '2');
        expect('APPEND new key', await client.append(k('text'), 'Hello'), 5);
        expect('APPEND', await client.append(k('text'), ' World'), 11);
        expect('GET after APPEND', await client.get(k('text')), 'Hello World');
        expect('EXISTS', await client.exists([k('a'), k('m1'), k('missing')]), 2);
        expect('TTL without expiry', await client.ttl(k('a')), -1);
        expect('EXPIRE', await client.expire(k('a'), 100), 1);
        const ttl = await client.ttl(k('a'));
        if (!(ttl > 90 && ttl <= 100)) {
            mismatches.push(`TTL after EXPIRE 100: expected 91..100, got ${JSON.stringify(ttl)}`);
        }
        expect('TTL missing key', await client.ttl(k('missing')), -2);
        expect('DEL', await client.del([k('a'), k('m1'), k('missing')]), 2);
        expect('GET after DEL', await client.get(k('a')), null);
        expect('EXISTS after DEL', await client.exists(k('m1')), 0);
        summary.standalone = { port: ports[0], commands: 'SET GET MSET MGET INCR APPEND DEL EXISTS EXPIRE TTL' };
    } finally {
        await client.close().catch(() => {});
    }

    const cluster = createCluster({
        rootNodes: ports.map(port => ({ socket: { host: HOST, port } })),
        defaults: { socket: { connectTimeout: 5000 } },
    });
    cluster.on('error', err => mismatches.push(`cluster client error: ${err.message}`));
    await cluster.connect();
    try {
        const expected = new Map();
        for (let i = 0; i < CLUSTER_KEYS; i++) {
            expected.set(`${prefix}c:${i}`, `value-${i}-${'x'.repeat(i % 17)}`);
        }
        const sets = await Promise.all([...expected].map(([key, value]) => cluster.set(key, value)));
        sets.forEach((reply, i) => { if (reply !== 'OK') mismatches.push(`cluster SET #${i}: got ${JSON.stringify(reply)}`); });
        const gets = await Promise.all([...expected.keys()].map(key => cluster.get(key)));
        [...expected].forEach(([key, value], i) => expect(`cluster GET ${key}`, gets[i], value));
        const owners = new Set();
        const slots = new Set();
        for (const key of expected.keys()) {
            const slot = keySlot(key);
            slots.add(slot);
            const master = cluster.slots[slot]?.master;
            owners.add(master ? `${master.host}:${master.port}` : 'none');
        }
        summary.cluster = {
            keys: expected.size,
            distinctSlots: slots.size,
            masters: cluster.masters.map(m => `${m.host}:${m.port}`),
            ownersUsed: [...owners],
        };
        if (cluster.masters.length !== ports.length) {
            mismatches.push(`cluster discovered ${cluster.masters.length} masters, expected ${ports.length}`);
        }
        if (owners.size < Math.min(ports.length, 2) || owners.has('none')) {
            mismatches.push(`keys were not spread over the masters: owners ${[...owners].join(', ')}`);
        }
    } finally {
        await cluster.close().catch(() => {});
    }
}

/** Redis' key slot: CRC16 (XMODEM) of the key, or of its {hash tag}, modulo 16384. */
function keySlot(key) {
    let bytes = Buffer.from(key);
    const open = bytes.indexOf(0x7b);
    if (open >= 0) {
        const close = bytes.indexOf(0x7d, open + 1);
        if (close > open + 1) {
            bytes = bytes.subarray(open + 1, close);
        }
    }
    let crc = 0;
    for (const byte of bytes) {
        crc ^= byte << 8;
        for (let i = 0; i < 8; i++) {
            crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
        }
    }
    return crc % 16384;
}

try {
    await main();
} catch (err) {
    mismatches.push(`failed: ${err?.stack ?? err}`);
}
clearTimeout(watchdog);
summary.ok = mismatches.length === 0;
console.log(JSON.stringify(summary));
process.exit(summary.ok ? 0 : 1);
