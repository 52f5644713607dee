/*
 * VIRQ_CONSOLE: dom0 learns that console input waits (console_input.h).
 * Kept apart so the input logic stays free of the event-channel glue and
 * can be unit-tested on the host.
 */
#include "common/console_input.h"
#include "common/domain.h"
#include "common/vcpu_events.h"
#include "public/xen.h"

void console_input_notify_guest(struct domain *d)
{
    if (d)
        domain_raise_global_virq(d, VIRQ_CONSOLE);
}
