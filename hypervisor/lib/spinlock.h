/*
 * Ticket spinlocks: CPUs get the lock in the order they asked for it, so
 * a CPU spinning on a busy lock cannot be overtaken forever by a faster
 * one.  The _irqsave forms also keep interrupts off while the lock is
 * held, for locks an interrupt handler on the same CPU may take.
 */
#ifndef SUBFLOOR_SPINLOCK_H
#define SUBFLOOR_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include "lib/irqflags.h"

typedef struct {
    volatile uint16_t next;     /* the ticket the next arrival takes */
    volatile uint16_t owner;    /* the ticket now allowed in */
} spinlock_t;

#define SPINLOCK_INIT { 0, 0 }

static inline void spin_lock_init(spinlock_t *l)
{
    l->next = 0;
    l->owner = 0;
}

static inline void spin_lock(spinlock_t *l)
{
    uint16_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

    while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
        cpu_relax();
}

static inline bool spin_trylock(spinlock_t *l)
{
    uint16_t owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
    uint16_t expect = owner;

    /* Only take a ticket that would be served at once. */
    return __atomic_compare_exchange_n(&l->next, &expect, (uint16_t)(owner + 1),
                                       false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void spin_unlock(spinlock_t *l)
{
    __atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(const spinlock_t *l)
{
    return __atomic_load_n(&l->next, __ATOMIC_RELAXED) !=
           __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
}

static inline uint64_t spin_lock_irqsave(spinlock_t *l)
{
    uint64_t flags = local_irq_save();

    spin_lock(l);
    return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, uint64_t flags)
{
    spin_unlock(l);
    local_irq_restore(flags);
}

#endif
