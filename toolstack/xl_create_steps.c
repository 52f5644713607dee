/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The order of `xl create`'s steps and what a failure undoes.  Kept apart
 * from the hypercalls so that the host tests can fail every step in turn
 * and see that a half-built guest never stays behind: whatever was done
 * is undone newest first (xenstored forgets the domain, its nodes go,
 * then the domain), as libxl's destroy path does.
 */
#include <stdio.h>

#include "xl_create.h"

static const char *const step_names[XL_NR_STEPS] = {
    [XL_STEP_CREATEDOMAIN] = "createdomain",
    [XL_STEP_MAX_VCPUS] = "max_vcpus",
    [XL_STEP_MAX_MEM] = "max_mem",
    [XL_STEP_EVTCHN] = "event channels",
    [XL_STEP_BUILD] = "building the domain",
    [XL_STEP_XENSTORE] = "writing xenstore",
    [XL_STEP_INTRODUCE] = "introducing the domain to xenstored",
    [XL_STEP_CONSOLE] = "attaching the console",
    [XL_STEP_UNPAUSE] = "unpause",
};

const char *xl_create_step_name(enum xl_create_step s)
{
    return (unsigned)s < XL_NR_STEPS ? step_names[s] : "?";
}

int xl_create_run_steps(const struct xl_create_ops *ops, void *priv,
                        unsigned skip)
{
    for (int s = 0; s < XL_NR_STEPS; s++) {
        if (skip & (1u << s))
            continue;
        if (ops->run(priv, (enum xl_create_step)s) == 0)
            continue;
        if (s == XL_STEP_CREATEDOMAIN)
            return s + 1;   /* nothing exists yet */
        fprintf(stderr, "xl: create: %s failed; the domain is being "
                        "destroyed\n", step_names[s]);
        /* A failed introduction may still have reached xenstored, and
         * releasing a domain it does not know is harmless. */
        if (s >= XL_STEP_INTRODUCE)
            ops->release(priv);
        /* A failed write may have left some of the nodes. */
        if (s >= XL_STEP_XENSTORE)
            ops->rm_nodes(priv);
        ops->destroy(priv);
        return s + 1;
    }
    return 0;
}
