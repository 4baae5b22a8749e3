// Copies the built playground beside the server so `lmtt serve` can serve it.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = fileURLToPath(new URL('../../../apps/playground/dist', import.meta.url));
const to = fileURLToPath(new URL('../dist/playground', import.meta.url));
rmSync(to, { recursive: true, force: true });
if (existsSync(from)) cpSync(from, to, { recursive: true });
