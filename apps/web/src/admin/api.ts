import { createContext, useContext } from 'react';
import type { Ack, AdminConfig, CommandName, CommandPayload, CommandReplies, Snapshot } from '@xephang/protocol';

/** What every admin tab works with: the live state, the admin-only settings, and `act`. */
export interface AdminApi {
  state: Snapshot;
  config: AdminConfig | undefined;
  online: boolean;
  /** The admin password, for the report downloads (HTTP Basic) until the session below is known. */
  password: string;
  /** After `admin:changePassword`: this screen keeps working (and reconnects) with the new password. */
  passwordChanged: (password: string) => void;
  /** This screen's admin session (`admin:session`): downloads send it as `Bearer`, so a locked address does not stop them. */
  session: string | undefined;
  send: <C extends CommandName>(name: C, payload: CommandPayload<C>) => Promise<Ack<CommandReplies[C]>>;
  /**
   * Sends a command and shows its outcome in the status line: `done` says what happened.
   * Resolves with the data, or undefined when the hub refused (its message is shown).
   */
  act: <C extends CommandName>(name: C, payload: CommandPayload<C>, done: (data: CommandReplies[C]) => string) => Promise<CommandReplies[C] | undefined>;
}

export const AdminContext = createContext<AdminApi | undefined>(undefined);

export function useAdmin(): AdminApi {
  const api = useContext(AdminContext);
  if (!api) throw new Error('useAdmin outside the admin screen');
  return api;
}
