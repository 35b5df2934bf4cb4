export * from './bitmap';
export * from './cups';
export * from './escpos';
export * from './fonts';
export * from './layout';
export * from './printer';
export * from './qr';
export * from './render';
export * from './render-job';
export * from './self-test';
export * from './serial';
export * from './spooler-printer';
export * from './tcp';
export * from './worker-renderer';

/** The footer a ticket carries until the admin sets another. */
export const DEFAULT_FOOTER = 'Xin vui lòng chú ý màn hình và loa gọi số. Xin cảm ơn!';
export * from './spooler';
export * from './serial-line';
export * from './windows-spooler';
