/** The clerk's login at this counter, kept for the browser tab: a reload does not ask for the PIN again. */
export interface Saved {
  clerkId: number;
  session: string;
}

export const sessionKey = (counterId: number) => `xephang.counter.${counterId}`;

export function loadSaved(counterId: number): Saved | undefined {
  try {
    const raw = sessionStorage.getItem(sessionKey(counterId));
    return raw ? (JSON.parse(raw) as Saved) : undefined;
  } catch {
    return undefined;
  }
}
