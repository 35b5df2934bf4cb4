import type { ProcedureView } from '@xephang/protocol';

/**
 * One administrative procedure (thủ tục hành chính) a center handles. The contract lives once,
 * in protocol (the hub sends exactly this to the kiosk); this is the catalog's short name for it.
 */
export type Procedure = ProcedureView;
