// `@xephang/printer/printers`: the one composition of a ticket, the printers and the drawing
// thread, without drawing here. The hub's main thread loads this entry: its tickets are drawn on
// `workerRenderer`'s thread, so the canvas and the font (tens of MB) load there only.
export * from './compose';
export * from './connections';
export type { PaperWidth, TicketData } from './layout';
export * from './printer';
export * from './renderer';
export * from './self-test';
export * from './spooler-printer';
export * from './worker-renderer';
