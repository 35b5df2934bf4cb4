import { z } from 'zod';

/** The payload of a command that takes nothing: `{}` and no key more. */
export const Empty = z.strictObject({});
