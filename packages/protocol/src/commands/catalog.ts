import { z } from 'zod';
import type { ProcedureView } from '../views';

/** The catalog of procedures; `since` is the version the client holds (the list is left out when unchanged). */
export const CatalogGetSchema = z.strictObject({ since: z.number().int().min(0).optional() });
/** Largest base64 text per `catalog:import` part: the hub caps socket.io messages at 16 KB. */
export const CATALOG_PART_CHARS = 12_000;
/**
 * One part of a CSV or XLSX file of procedures, base64. The hub reads the file once the last
 * part arrives: `check` only reports, `merge` adds and updates by code, `replace` makes the file
 * the whole catalog (refused while any row is unreadable).
 */
export const CatalogImportSchema = z
  .strictObject({
    uploadId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'mã tải lên gồm 8 đến 64 chữ cái không dấu, số, dấu gạch'),
    fileName: z.string().trim().min(1).max(200),
    part: z.number().int().min(0).max(511),
    parts: z.number().int().min(1).max(512),
    data: z.string().max(CATALOG_PART_CHARS).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'dữ liệu phải là base64'),
    mode: z.enum(['check', 'merge', 'replace']).default('check'),
  })
  .refine((p) => p.part < p.parts, { message: 'số thứ tự phần phải nhỏ hơn tổng số phần', path: ['part'] });

/** The catalog; `procedures` is left out when the client already holds `version`. */
export interface CatalogReply {
  version: number;
  procedures?: ProcedureView[];
}

/** A row of an imported file that could not be read: its line (as a spreadsheet numbers it) and why. */
export interface CatalogImportProblem {
  line: number;
  reason: string;
}

/**
 * A field's official code as an imported file gives it (the optional column "mã lĩnh vực"):
 * `before` is the field's code when the file was read, `set` whether this import stored it.
 */
export interface CatalogFieldCode {
  serviceId: string;
  nameVi: string;
  code: string;
  before: string | null;
  set: boolean;
}

export interface CatalogImportReport {
  fileName: string;
  format: 'csv' | 'xlsx';
  mode: 'check' | 'merge' | 'replace';
  /** Rows with something in them, below the header. */
  rows: number;
  /** Rows read correctly. */
  readable: number;
  problems: CatalogImportProblem[];
  /** Whether the catalog was changed. */
  applied: boolean;
  added: number;
  updated: number;
  removed: number;
  /** The catalog's size afterwards. */
  total: number;
  /** The fields' official codes the file gives, in the kiosk's order (empty for a file without the column). */
  fieldCodes: CatalogFieldCode[];
  /** One Vietnamese sentence for the admin. */
  message: string;
}

export type CatalogImportReply = { complete: false; received: number; parts: number } | { complete: true; report: CatalogImportReport };

/** The procedures the kiosk searches, and the admin's import of them from a file. */
export interface CatalogReplies {
  'catalog:get': CatalogReply;
  'catalog:import': CatalogImportReply;
}

export const CATALOG_COMMANDS = {
  'catalog:get': CatalogGetSchema,
  'catalog:import': CatalogImportSchema,
} as const satisfies { [C in keyof CatalogReplies]: z.ZodType };
