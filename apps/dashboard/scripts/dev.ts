/**
 * `npm run dev`: the embedded server on PORT (default 3130), restarted by `node --watch` when
 * server or plugin code changes, and the dashboard on Vite's dev server with hot reload,
 * proxying `/api`, `/overlay` and the sockets to it. Open the URL Vite prints.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const port = process.env.PORT ?? '3130';
process.env.DASHBOARD_API_URL ??= `http://127.0.0.1:${port}`;

const server = spawn(process.execPath, ['--conditions=source', '--watch', 'apps/server/src/main.ts'], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: { ...process.env, PORT: port },
});

const vite = await createServer({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)) });
await vite.listen();
vite.printUrls();

const stop = async () => {
  server.kill('SIGTERM');
  await vite.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
server.once('exit', (code) => {
  if (code) void vite.close().then(() => process.exit(code));
});
