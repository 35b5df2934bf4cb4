import { routeOf, type ScreenRoute } from '@xephang/protocol';
import { Admin } from './admin/Admin';
import { Counter } from './counter/Counter';
import { CounterDisplay } from './display/CounterDisplay';
import { Display } from './display/Display';
import { Home } from './home/Home';
import { Kiosk } from './kiosk/Kiosk';
import { Rate } from './rate/Rate';

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

export function App() {
  const route = routeOf(window.location.pathname);
  document.body.dataset.screen = route.screen;
  document.title = `${titleOf(route)} · xephang`;
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
