export * from './ack';
export * from './commands';
export * from './events';
export * from './handshake';
export * from './ids';
export * from './parse';
export * from './views';
export * from './client-state';
