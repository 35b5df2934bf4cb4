// node-windows ships no types; windows.ts declares the part of its Service it uses.
declare module 'node-windows';
