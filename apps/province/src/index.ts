export { startProvince, type Province, type ProvinceOptions } from './server';
export { migrate, openPool, partitionName, MIGRATIONS, type Pool } from './db';
export { ENROLMENT_KEY_DAYS, type CommuneLinkView, type EnrolmentKeyView } from './communes';
export { LIMITS } from './limits';
export { PUSHES_READ_AT_ONCE } from './http';
export { overview, fields, LATE_AFTER_MS } from './overview';
export { communeReport } from './report';
export { readTallies } from './tallies';
