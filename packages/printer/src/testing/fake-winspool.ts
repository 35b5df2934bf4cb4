import type { PrinterHandle, WinJobInfo, WinPrinterInfo, WinResult, WinspoolApi } from '../windows-spooler';

/** A job the fake spooler took whole: what the printer would have received. */
export interface SpooledJob {
  printer: string;
  jobId: number;
  title: string;
  datatype: string;
  bytes: Uint8Array;
}

interface Rule {
  name: keyof WinspoolApi;
  error: number;
  /** Calls of `name` that still succeed before this one fails. */
  after: number;
}

interface OpenDoc {
  jobId: number;
  title: string;
  datatype: string;
  chunks: Uint8Array[];
}

const ERROR_INVALID_HANDLE = 6;
const ERROR_INVALID_PRINTER_NAME = 1801;

/**
 * A stand-in for winspool.drv behind the `WinspoolApi` seam: it records every call, keeps the
 * printers and queues it is given, assembles each job from its writes (at most `writeChunk` bytes
 * per WritePrinter, as a busy spooler does), and fails the calls it is told to with the given
 * GetLastError codes.
 */
export class FakeWinspool implements WinspoolApi {
  readonly calls: { name: keyof WinspoolApi; args: unknown[] }[] = [];
  /** Jobs ended with EndDocPrinter. */
  readonly spooled: SpooledJob[] = [];
  /** Jobs dropped with AbortPrinter. */
  readonly aborted: number[] = [];
  /** Largest write the fake takes at once (WritePrinter may take fewer bytes than given). */
  writeChunk = Infinity;
  private readonly printers = new Map<string, { info: WinPrinterInfo; jobs: WinJobInfo[] }>();
  private readonly handles = new Map<PrinterHandle, { printer: string; doc?: OpenDoc }>();
  private readonly rules: Rule[] = [];
  private nextHandle = 1n;
  private nextJob = 1;

  /** Adds (or replaces) a printer Windows knows, with the jobs in its queue. */
  addPrinter(info: Partial<WinPrinterInfo> & { printerName: string }, jobs: WinJobInfo[] = []): this {
    this.printers.set(info.printerName, {
      info: { portName: 'USB001', driverName: 'EPSON TM-T82III Receipt', status: 0, attributes: 0, jobs: 0, ...info },
      jobs,
    });
    return this;
  }

  /** The next call of `name` (after `after` calls that succeed) fails with `error`. */
  failNext(name: keyof WinspoolApi, error: number, after = 0): this {
    this.rules.push({ name, error, after });
    return this;
  }

  /** Handles opened and not closed yet. */
  get openHandles(): number {
    return this.handles.size;
  }

  /** The names of the calls made, in order. */
  get callNames(): string[] {
    return this.calls.map((c) => c.name);
  }

  private call<T>(name: keyof WinspoolApi, args: unknown[], run: () => WinResult<T>): WinResult<T> {
    this.calls.push({ name, args });
    const rule = this.rules.find((r) => r.name === name);
    if (rule) {
      if (rule.after > 0) rule.after--;
      else {
        this.rules.splice(this.rules.indexOf(rule), 1);
        return { ok: false, error: rule.error };
      }
    }
    return run();
  }

  private open(handle: PrinterHandle) {
    return this.handles.get(handle);
  }

  openPrinter(name: string): WinResult<PrinterHandle> {
    return this.call('openPrinter', [name], () => {
      if (!this.printers.has(name)) return { ok: false, error: ERROR_INVALID_PRINTER_NAME };
      const handle = this.nextHandle++;
      this.handles.set(handle, { printer: name });
      return { ok: true, value: handle };
    });
  }

  startDocPrinter(handle: PrinterHandle, doc: { docName: string; datatype: string }): WinResult<number> {
    return this.call('startDocPrinter', [handle, doc], () => {
      const h = this.open(handle);
      if (!h) return { ok: false, error: ERROR_INVALID_HANDLE };
      h.doc = { jobId: this.nextJob++, title: doc.docName, datatype: doc.datatype, chunks: [] };
      return { ok: true, value: h.doc.jobId };
    });
  }

  startPagePrinter(handle: PrinterHandle): WinResult<void> {
    return this.call('startPagePrinter', [handle], () => (this.open(handle)?.doc ? { ok: true, value: undefined } : { ok: false, error: ERROR_INVALID_HANDLE }));
  }

  writePrinter(handle: PrinterHandle, bytes: Uint8Array): WinResult<number> {
    return this.call('writePrinter', [handle, bytes.length], () => {
      const doc = this.open(handle)?.doc;
      if (!doc) return { ok: false, error: ERROR_INVALID_HANDLE };
      const taken = bytes.slice(0, Math.min(bytes.length, this.writeChunk));
      doc.chunks.push(taken);
      return { ok: true, value: taken.length };
    });
  }

  endPagePrinter(handle: PrinterHandle): WinResult<void> {
    return this.call('endPagePrinter', [handle], () => (this.open(handle)?.doc ? { ok: true, value: undefined } : { ok: false, error: ERROR_INVALID_HANDLE }));
  }

  endDocPrinter(handle: PrinterHandle): WinResult<void> {
    return this.call('endDocPrinter', [handle], () => {
      const h = this.open(handle);
      if (!h?.doc) return { ok: false, error: ERROR_INVALID_HANDLE };
      const { jobId, title, datatype, chunks } = h.doc;
      this.spooled.push({ printer: h.printer, jobId, title, datatype, bytes: new Uint8Array(Buffer.concat(chunks)) });
      h.doc = undefined;
      return { ok: true, value: undefined };
    });
  }

  abortPrinter(handle: PrinterHandle): WinResult<void> {
    return this.call('abortPrinter', [handle], () => {
      const h = this.open(handle);
      if (!h) return { ok: false, error: ERROR_INVALID_HANDLE };
      if (h.doc) this.aborted.push(h.doc.jobId);
      h.doc = undefined;
      return { ok: true, value: undefined };
    });
  }

  closePrinter(handle: PrinterHandle): WinResult<void> {
    return this.call('closePrinter', [handle], () => (this.handles.delete(handle) ? { ok: true, value: undefined } : { ok: false, error: ERROR_INVALID_HANDLE }));
  }

  getPrinter(handle: PrinterHandle): WinResult<WinPrinterInfo> {
    return this.call('getPrinter', [handle], () => {
      const h = this.open(handle);
      const printer = h && this.printers.get(h.printer);
      if (!printer) return { ok: false, error: ERROR_INVALID_HANDLE };
      return { ok: true, value: { ...printer.info, jobs: printer.jobs.length } };
    });
  }

  enumJobs(handle: PrinterHandle): WinResult<WinJobInfo[]> {
    return this.call('enumJobs', [handle], () => {
      const h = this.open(handle);
      const printer = h && this.printers.get(h.printer);
      return printer ? { ok: true, value: [...printer.jobs] } : { ok: false, error: ERROR_INVALID_HANDLE };
    });
  }

  enumPrinters(): WinResult<WinPrinterInfo[]> {
    return this.call('enumPrinters', [], () => ({ ok: true, value: [...this.printers.values()].map((p) => ({ ...p.info, jobs: p.jobs.length })) }));
  }
}
