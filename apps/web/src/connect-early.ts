import { routeOf } from '@xephang/protocol';
import { addressAuth, connectEarly } from './shared/hub-connection';

// Imported first by the entry, so this runs before React and the screens are evaluated (an old
// TV's CPU takes a few hundred milliseconds for that): a display's handshake and snapshot then
// travel meanwhile, and its first render can already draw the call that stands.
const auth = addressAuth(routeOf(window.location.pathname));
if (auth) connectEarly(auth);
