/**
 * `npm run dev`: the embedded server on PORT (default 3130), restarted by `node --watch` when
 * server or plugin code changes, and the dashboard on Vite's dev server with hot reload,
 * proxying `/api`, `/overlay` and the sockets to it. Open the URL Vite prints (port 5173, or
 * `DASHBOARD_PORT`).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const port = process.env.PORT ?? '3130';
process.env.DASHBOARD_API_URL ??= `http://127.0.0.1:${port}`;

const server = spawn(process.execPath, ['--import', './apps/server/src/module-resolution.ts', '--watch', 'apps/server/src/main.ts'], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: { ...process.env, PORT: port },
});

const vite = await createServer({
  configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
  server: process.env.DASHBOARD_PORT ? { port: Number(process.env.DASHBOARD_PORT), strictPort: true } : {},
});
await vite.listen();
vite.printUrls();

const serverExited = new Promise<number | null>((resolve) => server.once('exit', resolve));
let stopping = false;
const stop = async () => {
  stopping = true;
  // Vite closes itself on SIGTERM too, exiting with 128 + signal unless a code is already set.
  process.exitCode = 0;
  server.kill('SIGTERM');
  await Promise.all([vite.close(), serverExited]);
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
// The server gave up by itself (a bad environment variable, say): so does the dev loop.
void serverExited.then((code) => {
  if (code && !stopping) void vite.close().then(() => process.exit(code));
});
