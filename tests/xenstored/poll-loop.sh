#!/bin/sh
# The daemon tests again with xenstored's poll() loop, the fallback it
# serves with when the kernel refuses io_uring: both loops stay covered.
XENSTORED_EVENT_LOOP=poll
export XENSTORED_EVENT_LOOP
exec ./check_daemon
