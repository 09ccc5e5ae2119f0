#!/usr/bin/env bash
# Runs every test function of a Qt Test program in a process of its own, in order, and fails when
# any of them fails. For the SIP suites whose functions each start and stop liblinphone cores: a
# core that a function stopped leaves nothing behind in the process for the next function to meet
# (liblinphone keeps process-wide state: its Factory, its logging service).
# Usage: tests/run-per-function.sh TEST-PROGRAM [QTEST-OPTIONS...]
set -u
program=$1
shift
functions=$("$program" -functions) || exit 1
status=0
for function in $functions; do
    "$program" "${function%()}" "$@" || status=1
done
exit "$status"
