// The tally both browser suites keep: each check passes or prints why it failed; the last
// line says "N passed, M failed" and the exit code follows.

let passed = 0;
let failed = 0;

export function check(name, ok, detail = "") {
  if (ok) {
    passed += 1;
  } else {
    failed += 1;
    console.log(`FAIL ${name}${detail ? `\n     ${detail}` : ""}`);
  }
}

export function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}
