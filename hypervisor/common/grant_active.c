/*
 * Active grants: the pin counts of a granted reference and the flags
 * handshake with the granting guest.
 *
 * The granter publishes an entry by writing domid and frame and then the
 * flags; it revokes it by clearing the flags, but only when GTF_reading
 * and GTF_writing are clear.  So the hypervisor sets those bits with one
 * compare-exchange over flags and domid together: either it sees the
 * entry the guest published and marks it in use in the same step, or the
 * guest changed it first and the check is made again.
 */
#include "common/grant.h"

/* A guest can rewrite its entry faster than we can retry; after this
 * many lost races the entry is treated as unusable, as in Xen. */
#define GRANT_CLAIM_RETRIES 5

/* flags and domid share the entry's first 32 bits. */
static uint32_t *entry_header(struct grant_entry_v1 *shared)
{
    _Static_assert(__builtin_offsetof(struct grant_entry_v1, flags) == 0 &&
                   __builtin_offsetof(struct grant_entry_v1, domid) == 2,
                   "flags and domid form the first word");
    return (uint32_t *)(void *)shared;
}

static uint16_t header_flags(uint32_t h) { return (uint16_t)(h & 0xffffu); }
static uint16_t header_domid(uint32_t h) { return (uint16_t)(h >> 16); }

int grant_entry_claim(struct grant_entry_v1 *shared, const struct grant_active *act,
                      uint16_t domid, bool readonly)
{
    uint32_t *word = entry_header(shared);
    uint32_t seen = __atomic_load_n(word, __ATOMIC_ACQUIRE);
    /* Sub-page grants are version 2 only; a v1 entry carrying the bit is
     * not a plain full-page grant and cannot be mapped. */
    uint16_t type_mask = GTF_type_mask | GTF_sub_page;

    for (unsigned int tries = 0; ; tries++) {
        uint16_t flags = header_flags(seen);

        /* Once pinned the entry's owner and type were checked already;
         * the granter cannot revoke it while GTF_reading is set. */
        if (grant_pins_zero(act->pins) &&
            ((flags & type_mask) != GTF_permit_access || header_domid(seen) != domid))
            return GNTST_general_error;

        uint16_t want = (uint16_t)(flags | GTF_reading);
        if (!readonly) {
            if (flags & GTF_readonly)
                return GNTST_general_error;
            want |= GTF_writing;
        }

        uint32_t desired = (seen & 0xffff0000u) | want;
        if (__atomic_compare_exchange_n(word, &seen, desired, false,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            return GNTST_okay;
        /* seen now holds what the guest wrote meanwhile. */
        if (tries + 1 == GRANT_CLAIM_RETRIES)
            return GNTST_general_error;
    }
}

void grant_entry_settle(struct grant_entry_v1 *shared, const struct grant_active *act,
                        bool readonly_release)
{
    uint16_t clear = 0;

    if (grant_pins_zero(act->pins))
        clear |= GTF_reading;
    if (!readonly_release && !grant_pins_writable(act->pins))
        clear |= GTF_writing;
    if (clear)
        __atomic_fetch_and(&shared->flags, (uint16_t)~clear, __ATOMIC_ACQ_REL);
}

static uint8_t *pin_counter(struct grant_active *act, enum grant_pin_kind kind, bool readonly)
{
    if (kind == GRANT_PIN_HOST)
        return readonly ? &act->pins.host_ro : &act->pins.host_rw;
    return readonly ? &act->pins.dev_ro : &act->pins.dev_rw;
}

bool grant_pin_add(struct grant_active *act, enum grant_pin_kind kind, bool readonly)
{
    uint8_t *c = pin_counter(act, kind, readonly);

    if (*c >= GRANT_PIN_MAX)
        return false;
    (*c)++;
    return true;
}

void grant_pin_sub(struct grant_active *act, enum grant_pin_kind kind, bool readonly)
{
    uint8_t *c = pin_counter(act, kind, readonly);

    /* An unbalanced release is a hypervisor bug; never wrap. */
    if (*c)
        (*c)--;
}

uint32_t grant_list_active(const struct grant_table *gt,
                           bool (*visit)(const struct grant_active_info *info, void *ctx),
                           void *ctx)
{
    uint32_t n = grant_nr_entries(gt), seen = 0;

    for (grant_ref_t ref = 0; ref < n; ref++) {
        const struct grant_active *act = grant_active_entry(gt, ref);
        if (grant_pins_zero(act->pins))
            continue;

        struct grant_active_info info = {
            .granter = gt->domid,
            .ref = ref,
            .holder = act->domid,
            .mfn = act->mfn,
            .pins = act->pins,
            .shared_flags = __atomic_load_n(&grant_shared_entry(gt, ref)->flags,
                                            __ATOMIC_RELAXED),
        };
        seen++;
        if (visit && !visit(&info, ctx))
            break;
    }
    return seen;
}
