#!/usr/bin/env bash
# infra/ tests, run by the project's test command (ctest: infra.cdk).
#  1. type-check the CDK app and its tests (tsc --noEmit);
#  2. `cdk synth` every stage (dev, staging, prod) offline, with cdk-nag's AwsSolutions pack
#     and CDK's CloudFormation validation: an unacknowledged finding fails the synth;
#  3. the aws-cdk-lib/assertions tests under node's test runner.
# Assumes `npm ci` already ran here (scripts/setup.sh does it). Needs no AWS account, no
# Docker and no network. Exits non-zero on any failure; the last line is the count.
set -uo pipefail
cd "$(dirname "$0")"
started=$SECONDS

if [ ! -x node_modules/.bin/cdk ] || [ ! -x node_modules/.bin/tsc ]; then
  echo "infra/test.sh: node_modules is missing: run scripts/setup.sh (npm ci in infra/)" >&2
  echo "infra: 0 passed, 1 failed"
  exit 1
fi

# Offline and quiet: no telemetry, no notices, no version check; no ambient AWS target.
export CDK_DISABLE_CLI_TELEMETRY=true CDK_DISABLE_VERSION_CHECK=true
unset CDK_DEFAULT_ACCOUNT CDK_DEFAULT_REGION AWS_PROFILE
bin=node_modules/.bin
passed=0
failed=0
rm -rf cdk.out && mkdir -p cdk.out

step() { # name, command...
  local name=$1; shift
  local log="cdk.out/${name//[^a-z0-9]/-}.log"
  local t=$SECONDS
  if "$@" >"$log" 2>&1; then
    passed=$((passed + 1)); echo "ok   $name ($((SECONDS - t))s)"
  else
    failed=$((failed + 1)); echo "FAIL $name ($((SECONDS - t))s), output:"; sed 's/^/     /' "$log"
  fi
}

echo "== infra: type check"
step "tsc" "$bin/tsc" --noEmit -p .

echo "== infra: cdk synth with cdk-nag (AwsSolutions), offline"
for stage in dev staging prod; do
  rm -rf "cdk.out/$stage"
  step "synth $stage" "$bin/cdk" synth --quiet --no-notices --ci -c "stage=$stage" -o "cdk.out/$stage"
done

echo "== infra: assertions tests (node --test)"
tap=cdk.out/tests.tap
node --require ts-node/register/transpile-only --test \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" \
  test/*.test.ts
node_status=$?
tests_passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" | tail -n 1)
tests_failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap" | tail -n 1)
passed=$((passed + ${tests_passed:-0}))
failed=$((failed + ${tests_failed:-0}))
if [ "$node_status" -ne 0 ] && [ "${tests_failed:-0}" -eq 0 ]; then
  failed=$((failed + 1)) # the runner itself failed
fi

echo "== infra: done in $((SECONDS - started))s"
echo "infra: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
