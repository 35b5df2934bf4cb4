/**
 * The child process the hub checks a backup in (check.ts's checkInChild): one file, one JSON
 * line of CheckResult on stdout, then it ends.
 */
import { checkBackupFile } from './check';

const [file, flag] = process.argv.slice(2);
process.stdout.write(JSON.stringify(checkBackupFile(file ?? '', { prepare: flag === '--prepare' })));
