export * from './numbers';
export * from './announcement';
export * from './wav';
export * from './chime';
export * from './clip-bank';
export * from './cache';
export * from './espeak';
export * from './renderer';
export { callWavUrl, VOICE_SETTINGS_URL } from './browser/announcer';
