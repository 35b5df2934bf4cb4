/** One administrative procedure (thủ tục hành chính) a center handles. */
export interface Procedure {
  /** The center's code for it (mã thủ tục): xephang's own in the starter catalog, the national one after an import. */
  code: string;
  /** Its official Vietnamese name. */
  name: string;
  /** The field (lĩnh vực) whose counters handle it: a service id such as `civil`. */
  serviceId: string;
  /** The papers to bring, one per entry; empty when not known. */
  papers: string[];
  /** Everyday words people use for it ("sổ đỏ"), searched with a little less weight than the name. */
  keywords?: string[];
}
