// `@xephang/printer/connections`: every way a drawn job reaches paper (TCP, a serial line, a
// CUPS queue, a Windows printer) and the printers' status, without drawing. The kiosk's shell
// prints the job the hub drew, so it loads this entry and never the canvas or the font.
export * from './cups';
export * from './job-printer';
export * from './serial';
export * from './serial-line';
export * from './spooler';
export * from './status';
export * from './tcp';
export * from './windows-spooler';
