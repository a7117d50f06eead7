// Preloaded (node -r) into the service processes the chaos suites spawn: the process ends
// when the test runner that spawned it goes away (its stdin pipe closes), so that a runner
// that crashed or was killed leaves no server behind. Normal stops are SIGTERM / SIGKILL.
process.stdin.on('end', () => process.exit(1));
process.stdin.on('error', () => process.exit(1));
process.stdin.resume();
