export * from './day';
export * from './errors';
export * from './estimate';
export * from './numbering';
export * from './pick-next';
export * from './state-machine';
