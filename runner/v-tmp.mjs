import { ReportSchema } from '@sortie/reporters';
import { readFileSync } from 'node:fs';
const r = ReportSchema.safeParse(JSON.parse(readFileSync(process.argv[2],'utf8')));
console.log(r.success ? 'VALID' : JSON.stringify(r.error.issues.slice(0,5)));
