#!/usr/bin/env node
// Checks what `npm start`, `npm test` and `npm run bench` need before they start, with a message that says what
// to install (and, as root on Debian/Ubuntu, installs it: Java 17+, and Chromium for `npm test`). Plain JavaScript so that it runs before dependencies or TypeScript tooling are in place.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const problems = [];
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  problems.push(
    `Node.js ${process.versions.node} is too old: Vetline needs Node.js 20.19 or newer (22 recommended).`,
  );
}
if (!existsSync(new URL('../node_modules/hono/package.json', import.meta.url))) {
  problems.push('Dependencies are not installed: run `npm ci` (or `npm install`) first.');
}
const javaVersion = () => {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${java.stderr ?? ''}${java.stdout ?? ''}`);
  if (java.error || !match) return null;
  return Number(match[1]) === 1 ? Number(match[2]) : Number(match[1]);
};
const canInstall = () =>
  process.platform === 'linux' &&
  process.getuid?.() === 0 &&
  spawnSync('apt-get', ['--version']).status === 0;

if (!process.env.DYNAMODB_ENDPOINT) {
  let javaMajor = javaVersion();
  if ((javaMajor === null || javaMajor < 17) && canInstall()) {
    console.error('Java 17+ is missing; installing it with apt-get (scripts/setup-machine.sh)...');
    spawnSync('bash', [new URL('./setup-machine.sh', import.meta.url).pathname], { stdio: 'inherit' });
    javaMajor = javaVersion();
  }
  if (javaMajor === null || javaMajor < 17) {
    problems.push(
      `${javaMajor === null ? 'Java was not found' : `Java ${javaMajor} is too old`}: DynamoDB Local needs Java 17 or newer.\n` +
        '    Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless   (or run `bash scripts/setup-machine.sh`)\n' +
        '    macOS:         brew install openjdk@17\n' +
        '    Or set DYNAMODB_ENDPOINT to an existing DynamoDB.',
    );
  }
}
// The browser tests (tests/browser) drive Debian's Chromium through playwright-core, which downloads no browser.
// Only the test command needs it; VETLINE_CHROMIUM names another Chromium or Chrome binary.
if (process.env.npm_lifecycle_event === 'test') {
  const chromium = process.env.VETLINE_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(chromium) && !process.env.VETLINE_CHROMIUM && canInstall()) {
    console.error('Chromium is missing; installing it with apt-get (scripts/setup-machine.sh)...');
    spawnSync('bash', [new URL('./setup-machine.sh', import.meta.url).pathname], { stdio: 'inherit' });
  }
  if (!existsSync(chromium)) {
    problems.push(
      `Chromium was not found at ${chromium}: the browser tests need it.\n` +
        '    Debian/Ubuntu: sudo apt-get install -y chromium   (or run `bash scripts/setup-machine.sh`)\n' +
        '    Elsewhere:     set VETLINE_CHROMIUM to a Chromium or Chrome binary.',
    );
  }
}
// `npm run bench` compares PDF extraction with pdftotext (poppler-utils).
if (process.argv.includes('--bench')) {
  const hasPdftotext = () => !spawnSync('pdftotext', ['-v']).error;
  if (!hasPdftotext() && canInstall()) {
    console.error(
      'pdftotext is missing; installing poppler-utils with apt-get (scripts/setup-machine.sh --bench)...',
    );
    spawnSync('bash', [new URL('./setup-machine.sh', import.meta.url).pathname, '--bench'], {
      stdio: 'inherit',
    });
  }
  if (!hasPdftotext()) {
    problems.push(
      'pdftotext was not found: the extraction benchmark compares with it.\n' +
        '    Debian/Ubuntu: sudo apt-get install -y poppler-utils   (or run `bash scripts/setup-machine.sh --bench`)\n' +
        '    macOS:         brew install poppler',
    );
  }
}
if (problems.length > 0) {
  console.error(`Vetline cannot start on this machine yet:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
