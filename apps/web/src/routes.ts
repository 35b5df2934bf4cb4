/** Which screen an address shows: addresses are stable so a device can bookmark its screen. */
export type Route =
  | { screen: 'kiosk' }
  | { screen: 'counter'; counterId: number }
  | { screen: 'display' }
  | { screen: 'counter-display'; counterId: number }
  | { screen: 'admin' }
  | { screen: 'rate'; counterId: number }
  | { screen: 'home' }
  | { screen: 'not-found'; path: string };

export function routeOf(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { screen: 'home' };
  if (path === '/kiosk') return { screen: 'kiosk' };
  if (path === '/display') return { screen: 'display' };
  if (path === '/admin') return { screen: 'admin' };
  const rate = /^\/rate\/(\d{1,2})$/.exec(path);
  if (rate) return { screen: 'rate', counterId: Number(rate[1]) };
  const counter = /^\/counter\/(\d{1,2})$/.exec(path);
  if (counter) return { screen: 'counter', counterId: Number(counter[1]) };
  const above = /^\/display\/counter\/(\d{1,2})$/.exec(path);
  if (above) return { screen: 'counter-display', counterId: Number(above[1]) };
  return { screen: 'not-found', path };
}
