// The screens' addresses are listed once in @xephang/protocol (screens.ts): the hub serves the
// same list and the desktop shell opens it.
import type { ScreenRoute } from '@xephang/protocol';

/** Which screen an address shows: addresses are stable so a device can bookmark its screen. */
export type Route = ScreenRoute;
export { routeOf } from '@xephang/protocol';
