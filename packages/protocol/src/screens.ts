import { isCounterId } from './counter-id';
import type { Role } from './ids';

/** One screen the hub serves: where it is, which socket role it connects as, what people call it. */
export interface ScreenInfo {
  id: string;
  /** Its address; a screen of one counter adds `/<counter>` to it (`/counter/3`). */
  path: `/${string}`;
  role: Role;
  /** Whether there is one per counter. */
  perCounter: boolean;
  /** What a technician calls it, in Vietnamese (a counter's number follows when it has one). */
  nameVi: string;
  nameEn: string;
}

/**
 * Every screen, in the order a center sets them up. The addresses are stable so a device can
 * bookmark its screen: the hub serves them, the web app draws them, the desktop shell opens them.
 */
export const SCREENS = [
  { id: 'kiosk', path: '/kiosk', role: 'kiosk', perCounter: false, nameVi: 'Ki-ốt lấy số', nameEn: 'kiosk' },
  { id: 'display', path: '/display', role: 'display', perCounter: false, nameVi: 'Màn hình phòng chờ', nameEn: 'waiting-room TV' },
  { id: 'counter-display', path: '/display/counter', role: 'display', perCounter: true, nameVi: 'Màn hình trên quầy', nameEn: 'counter display' },
  { id: 'counter', path: '/counter', role: 'counter', perCounter: true, nameVi: 'Máy tính quầy', nameEn: 'clerk' },
  { id: 'rate', path: '/rate', role: 'rating', perCounter: true, nameVi: 'Máy đánh giá quầy', nameEn: 'rating tablet' },
  { id: 'admin', path: '/admin', role: 'admin', perCounter: false, nameVi: 'Quản trị và báo cáo', nameEn: 'admin' },
] as const satisfies readonly ScreenInfo[];

export type Screen = (typeof SCREENS)[number];
export type ScreenId = Screen['id'];
/** The screens of one counter each. */
export type CounterScreenId = Extract<Screen, { perCounter: true }>['id'];

/** The first segment of every screen's address: the hub answers each, and anything below it, with the web app. */
export const SCREEN_PATHS: readonly string[] = [...new Set(SCREENS.map((s) => `/${s.path.split('/')[1]}`))];

/** The screen with this id. */
export function screenInfo<I extends ScreenId>(id: I): Extract<Screen, { id: I }> {
  return SCREENS.find((s) => s.id === id) as Extract<Screen, { id: I }>;
}

/**
 * The address of a screen: `/kiosk`, `/counter/3`.
 * @throws Error with a Vietnamese message when a screen of one counter is not given a counter 1–99.
 */
export function screenPath(id: ScreenId, counterId?: number | null): string {
  const screen = screenInfo(id);
  if (!screen.perCounter) return screen.path;
  if (!isCounterId(counterId)) {
    throw new Error(`Màn hình ${screen.nameVi.toLowerCase()} (${screen.path}/…) cần số quầy từ 1 đến 99.`);
  }
  return `${screen.path}/${counterId}`;
}

// Distributive: one member per screen, so `switch (route.screen)` narrows to it.
type WholeScreenRoute<S> = S extends string ? { screen: S } : never;
type CounterScreenRoute<S> = S extends string ? { screen: S; counterId: number } : never;

/** Which screen an address shows. */
export type ScreenRoute =
  | WholeScreenRoute<Exclude<ScreenId, CounterScreenId>>
  | CounterScreenRoute<CounterScreenId>
  | { screen: 'home' }
  | { screen: 'not-found'; path: string };

/** The screen at `pathname` (trailing slashes ignored): a counter's number has one or two digits. */
export function routeOf(pathname: string): ScreenRoute {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { screen: 'home' };
  for (const screen of SCREENS) {
    if (!screen.perCounter) {
      if (path === screen.path) return { screen: screen.id };
      continue;
    }
    const tail = path.startsWith(`${screen.path}/`) ? path.slice(screen.path.length + 1) : '';
    if (/^\d{1,2}$/.test(tail)) return { screen: screen.id, counterId: Number(tail) };
  }
  return { screen: 'not-found', path };
}

/** A screen's address with a label a technician recognises (`Máy tính quầy 3 (clerk)`). */
export interface ScreenAddress {
  label: string;
  path: string;
}

/** Every screen a center with these counters sets up: each counter's screens grouped by kind. */
export function screenAddresses(counterIds: readonly number[]): ScreenAddress[] {
  return SCREENS.flatMap((s): ScreenAddress[] =>
    s.perCounter
      ? counterIds.map((id) => ({ label: `${s.nameVi} ${id} (${s.nameEn})`, path: `${s.path}/${id}` }))
      : [{ label: `${s.nameVi} (${s.nameEn})`, path: s.path }],
  );
}
