#!/bin/sh
# bench/exports.sh — 100,000 opportunities exported (CSV and JSON Lines) by `oms worker`: the time
# from POST /api/v1/exports to COMPLETED and the worker's RSS sampled during the export. See
# bench/exports.py for the knobs (BENCH_EXPORT_ROWS, BENCH_PG_URL, BENCH_OMS).
exec /usr/bin/python3 "$(dirname "$0")/exports.py" "$@"
