#!/usr/bin/env node
/**
 * The baselines for `hub.ts`: a socket.io server that acknowledges each 'relay' message and
 * re-emits it to every connected socket, the way the hub acknowledges a command and then
 * broadcasts. No validation, no queue.
 *
 *   node relay-server.js [--port N] [--durable FILE]
 *
 * Bare, it only relays (what socket.io alone costs). With `--durable FILE` it is the limit a
 * durable hub can reach: before it acknowledges and broadcasts, it commits the message as one
 * row to SQLite with the hub's settings (WAL, synchronous=FULL, one immediate transaction), so
 * every message costs the one fsync every hub command costs. Prints `relay ready on port N`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { Server } from 'socket.io';

const { values: args } = parseArgs({
  options: { port: { type: 'string', default: '0' }, durable: { type: 'string' } },
  strict: true,
});

/** Commits one message as one row, synchronously (as the hub's commit runner does); undefined: bare relay. */
function durableStore(file: string | undefined): ((message: unknown) => void) | undefined {
  if (file === undefined) return undefined;
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS relayed (id INTEGER PRIMARY KEY, body TEXT NOT NULL) STRICT');
  const insert = db.prepare('INSERT INTO relayed (body) VALUES (?)');
  const commit = db.transaction((body: string) => void insert.run(body));
  return (message) => commit.immediate(JSON.stringify(message));
}

const store = durableStore(args.durable);
const http = createServer();
const io = new Server(http, { serveClient: false });

io.on('connection', (socket) => {
  socket.on('relay', (message: unknown, ack?: (reply: { ok: true }) => void) => {
    store?.(message);
    if (typeof ack === 'function') ack({ ok: true });
    io.emit('relayed', message);
  });
});

http.listen(Number(args.port), '127.0.0.1', () => {
  process.stdout.write(`relay ready on port ${(http.address() as AddressInfo).port}\n`);
});

const stop = () => void io.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
