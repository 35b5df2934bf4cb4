// The bridge the shell's own pages get from main/local-preload.ts (these pages are plain
// scripts, not modules: a sandboxed page loads them with <script src>).
interface Window {
  readonly xephangLocal: import('../bridge').LocalBridge;
}
