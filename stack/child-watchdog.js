#!/usr/bin/env node
// Stops the children of a possync process when that process dies, however it dies (SIGKILL
// included): Linux offers Node no PR_SET_PDEATHSIG, but the kernel closes the parent's end of
// this process's stdin pipe when the parent exits. Plain JS, so it starts in milliseconds.
//
// Protocol on stdin, one command per line:  watch <pid> <SIGNAL>  |  unwatch <pid>
// At end of input, every pid still watched gets its signal, then SIGKILL after the grace time.
'use strict';

const GRACE_MS = Number(process.argv[2] || 20000);
const watched = new Map();
let buffer = '';

// Ctrl-C in the terminal must not stop the watchdog before the children (it runs detached anyway).
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => undefined);

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  let nl;
  while ((nl = buffer.indexOf('\n')) !== -1) {
    const [cmd, pid, signal] = buffer.slice(0, nl).trim().split(/\s+/);
    buffer = buffer.slice(nl + 1);
    if (cmd === 'watch' && Number(pid) > 0) watched.set(Number(pid), signal || 'SIGTERM');
    else if (cmd === 'unwatch') watched.delete(Number(pid));
  }
});
process.stdin.on('end', stopAll);
process.stdin.on('error', stopAll);

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

let stopping = false;
function stopAll() {
  if (stopping) return;
  stopping = true;
  for (const [pid, signal] of watched) {
    try {
      process.kill(pid, signal);
    } catch {
      watched.delete(pid);
    }
  }
  const deadline = Date.now() + GRACE_MS;
  const timer = setInterval(() => {
    for (const pid of watched.keys()) if (!alive(pid)) watched.delete(pid);
    if (watched.size === 0) {
      clearInterval(timer);
      process.exit(0);
    }
    if (Date.now() > deadline) {
      for (const pid of watched.keys()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone meanwhile */
        }
      }
      clearInterval(timer);
      process.exit(0);
    }
  }, 100);
}
