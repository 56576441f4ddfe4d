// Copies the SQL files next to the compiled code, where src/ loads them from.
import { cp } from 'node:fs/promises';

await cp('src', 'dist', {
  recursive: true,
  filter: (path) => !path.includes('.') || path.endsWith('.sql'),
});
