// `npm start`: builds the extension and opens examples/ in code-server with it loaded.
//   PORT=9000 npm start   to use another port (default 8080)
import { execFileSync } from 'node:child_process';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from './provision.mjs';
import { developmentUrl, startCodeServer } from '../test/host/codeServer.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.PORT || 8080);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`PORT must be a port number, not "${process.env.PORT}".`);
  process.exit(2);
}

execFileSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
const folder = join(root, 'examples');
let server;
try {
  server = await startCodeServer({
    folder,
    port,
    quiet: true,
    // Kept between runs so inputs, progress and layout survive a restart.
    userDataDir: join(cacheDir(), 'start-user-data'),
  });
} catch (error) {
  console.error(`Could not start code-server on 127.0.0.1:${port}: ${error.message}`);
  console.error('Is the port taken? Try another: PORT=9000 npm start');
  process.exit(1);
}
const url = developmentUrl(server.url, { folder, extensionPath: root });
console.log(`\nExecutable Runbooks is running in code-server with ${folder} open.\nOpen this URL in a browser:\n\n  ${url}\n\nPress Ctrl+C to stop.`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
