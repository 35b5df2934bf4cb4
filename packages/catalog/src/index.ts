export * from './text';
export * from './search';
export * from './starter';
export * from './english';
