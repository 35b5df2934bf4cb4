#!/usr/bin/env node
/**
 * The baseline for `hub.ts`: a bare socket.io server that acknowledges each 'relay' message
 * and re-emits it to every connected socket, the way the hub acknowledges a command and then
 * broadcasts. No validation, no database. Prints `relay ready on port N`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { serveClient: false });

io.on('connection', (socket) => {
  socket.on('relay', (message: unknown, ack?: (reply: { ok: true }) => void) => {
    if (typeof ack === 'function') ack({ ok: true });
    io.emit('relayed', message);
  });
});

http.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`relay ready on port ${(http.address() as AddressInfo).port}\n`);
});

const stop = () => void io.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
