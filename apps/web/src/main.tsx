// First: a display's connection opens before the rest of the script is evaluated.
import './connect-early';
import '@fontsource/be-vietnam-pro/400.css';
import '@fontsource/be-vietnam-pro/600.css';
import '@fontsource/be-vietnam-pro/800.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { routeOf } from '@xephang/protocol';
import { App, nameScreen } from './App';
import { earlyState } from './shared/hub-connection';

/**
 * How long a display's first render waits for the hub's state. The handshake needs the page's
 * thread a few times, so a render started meanwhile holds the snapshot back on a slow CPU; a
 * hub that does not answer by then gets the screen drawn without it (then its offline banner).
 */
const FIRST_STATE_WAIT_MS = 1_500;

nameScreen(routeOf(window.location.pathname));
const root = createRoot(document.getElementById('root')!);
void earlyState(FIRST_STATE_WAIT_MS).then(() =>
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
