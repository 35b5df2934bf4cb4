export * from './escpos-decoder';
export * from './fake-printer';
export * from './fake-winspool';
export * from './sample-ticket';
