# Shared by the system tests: build the dom0 image for this build tree,
# boot it with a batch through scripts/dom0/boot, and print TAP.  Sourced.
#
#   sys_image                      build the image (once per test); sets DOM0
#   sys_batch NAME HV FILE [boot options]
#                                  run FILE in dom0 on HV (subfloor|xen);
#                                  sets OUT (its output file), LOG (serial
#                                  log) and RC (boot's exit status)
#   sys_ok DESC CONDITION...       a check: CONDITION is a command
#   sys_has 'ERE' DESC             OUT has a line matching ERE
#   sys_todo REASON                mark the checks that follow TODO
#   sys_done                       print the plan; exit 1 on failure

set -u
: "${top_srcdir:?run through make check}" "${top_builddir:?run through make check}"
export SF_CACHE="${SF_CACHE:-$top_builddir/cache}"
SYS_LOGDIR="${SF_LOGDIR:-$top_builddir/tests/system/logs}"
mkdir -p "$SYS_LOGDIR"
sys_n=0 sys_failed=0 sys_todo_reason= OUT= LOG= RC=

sys_tap() {   # ok|not-ok DESC [diagnostic lines...]
  local verdict=$1 desc=$2 suffix=
  shift 2
  sys_n=$((sys_n + 1))
  [ -n "$sys_todo_reason" ] && suffix=" # TODO $sys_todo_reason"
  if [ "$verdict" = ok ]; then echo "ok $sys_n - $desc$suffix"; return 0; fi
  echo "not ok $sys_n - $desc$suffix"
  [ -z "$sys_todo_reason" ] && sys_failed=$((sys_failed + 1))
  local line
  for line in "$@"; do printf '%s\n' "$line" | sed 's/^/# /'; done
}

sys_todo() { sys_todo_reason=$1; }

sys_image() {
  DOM0=$("$top_srcdir/scripts/mkdom0" --builddir "$top_builddir" 2>"$SYS_LOGDIR/mkdom0.err")
  if [ $? -ne 0 ] || [ -z "$DOM0" ]; then
    echo "Bail out! scripts/mkdom0 failed: $(tail -3 "$SYS_LOGDIR/mkdom0.err" | tr '\n' ' ')"
    exit 1
  fi
}

sys_batch() {
  local name=$1 hv=$2 file=$3 image=()
  shift 3
  OUT=$SYS_LOGDIR/$name.out LOG=$SYS_LOGDIR/$name.log
  [ "$hv" = subfloor ] && image=(--image "$top_builddir/hypervisor/subfloor")
  "$top_srcdir/scripts/dom0/boot" --dom0 "$DOM0" --hypervisor "$hv" "${image[@]}" \
    --log "$LOG" --batch "$file" "$@" >"$OUT" 2>"$OUT.err"
  RC=$?
  echo "# $name: boot --batch ended with status $RC; serial log in $LOG"
}

sys_ok() {
  local desc=$1
  shift
  if "$@"; then sys_tap ok "$desc"
  else sys_tap not-ok "$desc" "failed: $*" "batch output:" "$(tail -n 20 "$OUT")" \
         "boot's messages:" "$(tail -n 12 "$OUT.err")"; fi
}

sys_has() { sys_ok "$2" grep -qaE -- "$1" "$OUT"; }

sys_done() {
  echo "1..$sys_n"
  [ "$sys_failed" -eq 0 ]
}
