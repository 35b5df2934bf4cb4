export * from './escpos-decoder';
export * from './fake-printer';
