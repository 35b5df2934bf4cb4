export * from './day';
export * from './errors';
export * from './estimate';
export * from './numbering';
export * from './opening';
export * from './pick-next';
export * from './state-machine';
export * from './vietnamese';
