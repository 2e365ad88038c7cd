#!/bin/sh
# Issue 9's kill -9 acceptance at its full size: 10,000 groups, killed four times at random
# moments while the journal grows, then resumed; every group once, numbers identical to an
# uninterrupted run. CI runs the same test with 2,000 groups.
#   npm run build && sh bench/groups/kill-resume.sh
set -e
cd "$(dirname "$0")/../.."
BIOGRAD_KILL_GROUPS=10000 npx vitest run test/cli/fit-groups-batch.test.ts -t SIGKILL
