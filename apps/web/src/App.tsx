import { routeOf } from './routes';
import { Admin } from './screens/Admin';
import { Counter } from './screens/Counter';
import { CounterDisplay } from './screens/CounterDisplay';
import { Display } from './screens/Display';
import { Home } from './screens/Home';
import { Kiosk } from './screens/Kiosk';
import { Rate } from './screens/Rate';

export function App() {
  const route = routeOf(window.location.pathname);
  document.body.dataset.screen = route.screen;
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
