// `@xephang/voice/browser`: the part of the voice a screen bundles (no Node modules), entered
// through the package's front door rather than a path into its source.
export * from './announcer';
