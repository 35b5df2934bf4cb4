import { lazy, Suspense, type ComponentType } from 'react';
import { routeOf, type ScreenRoute } from '@xephang/protocol';
// The two displays are in the entry itself: a TV's old CPU then runs one script and draws,
// with no second round of requests after it (a dozen KB more for the other screens, which
// load the socket client anyway).
import { CounterDisplay } from './display/CounterDisplay';
import { Display } from './display/Display';

/** Shown instead of a screen whose code did not arrive (a network blip while the TV started). */
const RELOAD_TEXT = { vi: 'Không tải được màn hình; đang tải lại…', en: 'The screen did not load; reloading…' } as const;
/** Long enough for a hub that is restarting to answer again, short enough that nobody walks up to the TV. */
const RELOAD_AFTER_MS = 5_000;

/**
 * One chunk per screen, loaded only by the address that shows it: the waiting-room TV and the
 * counter display never download the admin, its report charts or the kiosk's catalogue.
 * A chunk that fails to load stays failed in the browser's module map, so the page reloads
 * itself rather than leave a TV blank.
 */
function screen<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  return lazy(() =>
    load().then(
      (component) => ({ default: component }),
      (): { default: ComponentType<P> } => {
        setTimeout(() => window.location.reload(), RELOAD_AFTER_MS);
        return { default: Reloading };
      },
    ),
  );
}

function Reloading() {
  return (
    <p role="alert" style={{ margin: '2em', fontSize: '1.5rem' }}>
      {RELOAD_TEXT.vi} <small>{RELOAD_TEXT.en}</small>
    </p>
  );
}

const Kiosk = screen(() => import('./kiosk/Kiosk').then((m) => m.Kiosk));
const Counter = screen(() => import('./counter/Counter').then((m) => m.Counter));
const Admin = screen(() => import('./admin/Admin').then((m) => m.Admin));
const Rate = screen(() => import('./rate/Rate').then((m) => m.Rate));
const Home = screen(() => import('./home/Home').then((m) => m.Home));

/** Each screen's tab title: a technician with several screens open tells them apart. */
function titleOf(route: ScreenRoute): string {
  switch (route.screen) {
    case 'kiosk':
      return 'Ki-ốt lấy số';
    case 'counter':
      return `Quầy ${route.counterId} — cán bộ`;
    case 'display':
      return 'Màn hình phòng chờ';
    case 'counter-display':
      return `Màn hình trên quầy ${route.counterId}`;
    case 'admin':
      return 'Quản trị';
    case 'rate':
      return `Đánh giá — quầy ${route.counterId}`;
    case 'home':
    case 'not-found':
      return 'Các màn hình';
  }
}

function ScreenOf({ route }: { route: ScreenRoute }) {
  switch (route.screen) {
    case 'kiosk':
      return <Kiosk />;
    case 'counter':
      return <Counter counterId={route.counterId} />;
    case 'display':
      return <Display />;
    case 'counter-display':
      return <CounterDisplay counterId={route.counterId} />;
    case 'admin':
      return <Admin />;
    case 'rate':
      return <Rate counterId={route.counterId} />;
    case 'home':
      return <Home />;
    case 'not-found':
      return <Home missing={route.path} />;
  }
}

/**
 * Names the page after its screen (the body's `data-screen`, which the hub also writes, and the
 * tab's title) as the script starts: a display's first render may wait for the hub's state.
 */
export function nameScreen(route: ScreenRoute): void {
  document.body.dataset.screen = route.screen;
  document.title = `${titleOf(route)} · xephang`;
}

export function App() {
  const route = routeOf(window.location.pathname);
  // Nothing while the screen's chunk arrives (a few ms on the LAN): a spinner would only flash.
  return (
    <Suspense fallback={null}>
      <ScreenOf route={route} />
    </Suspense>
  );
}
