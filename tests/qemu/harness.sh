# QEMU test harness: boot an image with modules through scripts/qemu-launch
# (the same launcher ./scripts/run uses), keep the serial log, and check
# it.  Sourced by the *.test scripts, which print TAP.
#
#   sf_boot NAME [qemu-launch options]   boot; the log goes to NAME.log
#   sf_boot_typing NAME SCRIPT [options] boot and type into the serial
#                                        port (see the function)
#   sf_expect 'ERE' [description]        the log has a matching line
#   sf_expect_not 'ERE' [description]    the log has no matching line
#   sf_expect_status STATUS [desc]       how it ended: poweroff, panic,
#                                        timeout, or stopped (QEMU quit
#                                        by itself: a reset, or Xen's
#                                        ACPI power-off)
#   sf_done                              print the plan, exit 1 on failure
#
# A boot that panics, times out or resets fails sf_expect_status poweroff.
# (poweroff means Subfloor's clean power-off through isa-debug-exit.)

set -u
: "${top_srcdir:?run through make check}" "${top_builddir:?run through make check}"
SF_LAUNCH="$top_srcdir/scripts/qemu-launch"
SF_IMAGE="$top_builddir/hypervisor/subfloor"
export SF_CACHE="${SF_CACHE:-$top_builddir/cache}"
SF_LOGDIR="${SF_LOGDIR:-$top_builddir/tests/qemu/logs}"
SF_TIMEOUT="${SF_TIMEOUT:-120}"
mkdir -p "$SF_LOGDIR"

sf_n=0 sf_failed=0 sf_log= sf_status=

sf_tap() {   # ok|not-ok description [diagnostic...]
  sf_n=$((sf_n + 1))
  if [ "$1" = ok ]; then echo "ok $sf_n - $2"
  else
    echo "not ok $sf_n - $2"; sf_failed=$((sf_failed + 1))
    shift 2
    for line in "$@"; do echo "# $line"; done
  fi
}

sf_boot() {
  local name=$1; shift
  sf_log="$SF_LOGDIR/$name.log"
  local rc image=(--image "$SF_IMAGE")
  case " $* " in *" --hypervisor xen "*) image=() ;; esac
  : >"$sf_log"
  "$SF_LAUNCH" "${image[@]}" --test --timeout "$SF_TIMEOUT" --log "$sf_log" "$@" >/dev/null 2>"$sf_log.err"
  rc=$?
  case $rc in
    0) sf_status=poweroff ;;
    3) sf_status=panic ;;
    124) sf_status=timeout ;;
    5) sf_status=stopped ;;
    *) sf_status="launcher-error($rc)" ;;
  esac
  echo "# $name: boot ended by $sf_status; log in $sf_log"
  [ -s "$sf_log.err" ] && sed 's/^/# launcher: /' "$sf_log.err"
  return 0
}

# sf_boot_typing NAME SCRIPT [qemu-launch options]
#   Like sf_boot, but types into the serial port while the machine runs.
#   SCRIPT has one step a line: "wait ERE" (until the log has a matching
#   line; gives up after SF_TIMEOUT), "type TEXT" (printf %b escapes:
#   \x01 is Ctrl-A) or "sleep SECS".  The launcher's test mode reads no
#   input, so its QEMU command (--dry-run) is run here with the typist on
#   its stdin; the exit status means what it means for sf_boot.
sf_typist() {   # SCRIPT LOG: feed the keys on stdout
  local verb arg waited
  while IFS= read -r line; do
    verb=${line%% *} arg=${line#* }
    case $verb in
      wait) waited=0
            until grep -qaE -- "$arg" "$2"; do
              sleep 0.2; waited=$((waited + 1))
              [ $waited -gt $((SF_TIMEOUT * 5)) ] && { echo "typist: gave up waiting for /$arg/" >&2; return 1; }
            done ;;
      type) printf '%b' "$arg" ;;
      sleep) sleep "$arg" ;;
      ''|'#'*) ;;
      *) echo "typist: unknown step '$line'" >&2; return 1 ;;
    esac
  done <"$1"
}

sf_boot_typing() {
  local name=$1 script=$2; shift 2
  sf_log="$SF_LOGDIR/$name.log"
  local rc cmdline image=(--image "$SF_IMAGE")
  case " $* " in *" --hypervisor xen "*) image=() ;; esac
  : >"$sf_log"
  if ! cmdline=$("$SF_LAUNCH" "${image[@]}" --test --timeout "$SF_TIMEOUT" "$@" --dry-run 2>"$sf_log.err"); then
    sf_status="launcher-error"
  else
    local -a cmd
    eval "cmd=($cmdline)"
    sf_typist "$script" "$sf_log" 2>>"$sf_log.err" |
      timeout -k 5 "$SF_TIMEOUT" "${cmd[@]}" >"$sf_log" 2>&1
    rc=${PIPESTATUS[1]}
    case $rc in
      1) sf_status=poweroff ;;
      3) sf_status=panic ;;
      124|137) sf_status=timeout ;;
      0) sf_status=stopped ;;
      *) sf_status="qemu-error($rc)" ;;
    esac
  fi
  echo "# $name: boot ended by $sf_status; log in $sf_log"
  [ -s "$sf_log.err" ] && sed 's/^/# launcher: /' "$sf_log.err"
  return 0
}

sf_tail() { tail -n "${1:-15}" "$sf_log" | sed 's/^/  | /'; }

sf_expect() {
  if grep -qaE -- "$1" "$sf_log"; then sf_tap ok "${2:-log has /$1/}"
  else sf_tap not-ok "${2:-log has /$1/}" "no line matches /$1/ in $sf_log; last lines:" "$(sf_tail)"; fi
}

sf_expect_not() {
  local hit
  if hit=$(grep -aE -m1 -- "$1" "$sf_log"); then
    sf_tap not-ok "${2:-log lacks /$1/}" "unexpected line: $hit"
  else sf_tap ok "${2:-log lacks /$1/}"; fi
}

sf_expect_status() {
  if [ "$sf_status" = "$1" ]; then sf_tap ok "${2:-boot ends by $1}"
  else sf_tap not-ok "${2:-boot ends by $1}" "ended by $sf_status; last lines:" "$(sf_tail)"; fi
}

sf_done() {
  echo "1..$sf_n"
  [ "$sf_failed" -eq 0 ]
}
