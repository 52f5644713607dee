/*
 * The grant table itself: its limits, the shared frames the guest writes
 * entries into, and the active entries beside them.
 *
 * Pointer arrays are sized for max_frames once at init, so growing never
 * moves anything a concurrent reader could hold; each new shared frame
 * gets its own array of active entries.
 */
#include "common/grant.h"
#include "public/errno.h"

static void free_arrays(struct grant_table *gt)
{
    const struct grant_ops *p = gt->ops;

    p->free(gt->frame_mfn);
    p->free(gt->frame_va);
    p->free(gt->active);
    p->free(gt->maptrack);
    gt->frame_mfn = NULL;
    gt->frame_va = NULL;
    gt->active = NULL;
    gt->maptrack = NULL;
}

/* Frames [first, nr_frames) go back; used by destroy and failed grows. */
static void release_frames_from(struct grant_table *gt, uint32_t first, uint32_t last)
{
    const struct grant_ops *p = gt->ops;

    for (uint32_t i = first; i < last; i++) {
        if (gt->frame_va[i])
            p->free_shared_frame(gt, gt->frame_mfn[i], gt->frame_va[i]);
        p->free(gt->active[i]);
        gt->frame_va[i] = NULL;
        gt->frame_mfn[i] = 0;
        gt->active[i] = NULL;
    }
}

static int resolve_limit(int32_t requested, uint32_t fallback, uint32_t *out)
{
    if (requested < 0) {
        *out = fallback;
        return 0;
    }
    if ((uint32_t)requested > fallback)
        return -XEN_EINVAL;
    *out = (uint32_t)requested;
    return 0;
}

int grant_table_init(struct grant_table *gt, const struct grant_config *cfg)
{
    const struct grant_ops *p = cfg->ops;

    if (!p || !p->zalloc || !p->free || !p->alloc_shared_frame ||
        !p->free_shared_frame || !p->find_domain || !cfg->mm)
        return -XEN_EINVAL;

    __builtin_memset(gt, 0, sizeof(*gt));
    if (resolve_limit(cfg->max_frames, GRANT_DEFAULT_MAX_FRAMES, &gt->max_frames) ||
        gt->max_frames < GRANT_INITIAL_FRAMES ||
        resolve_limit(cfg->max_maptrack_frames, GRANT_DEFAULT_MAX_MAPTRACK_FRAMES,
                      &gt->max_maptrack_frames))
        return -XEN_EINVAL;

    gt->domid = cfg->domid;
    gt->privileged = cfg->privileged;
    gt->mm = cfg->mm;
    gt->ops = p;
    gt->owner = cfg->owner;
    gt->version = 1;
    gt->maptrack_free = GRANT_INVALID_HANDLE;

    gt->frame_mfn = p->zalloc(gt->max_frames * sizeof(*gt->frame_mfn));
    gt->frame_va = p->zalloc(gt->max_frames * sizeof(*gt->frame_va));
    gt->active = p->zalloc(gt->max_frames * sizeof(*gt->active));
    if (gt->max_maptrack_frames)
        gt->maptrack = p->zalloc(gt->max_maptrack_frames * sizeof(*gt->maptrack));
    if (!gt->frame_mfn || !gt->frame_va || !gt->active ||
        (gt->max_maptrack_frames && !gt->maptrack)) {
        free_arrays(gt);
        return -XEN_ENOMEM;
    }

    gt->initialised = true;
    int rc = grant_table_grow(gt, GRANT_INITIAL_FRAMES);
    if (rc) {
        free_arrays(gt);
        gt->initialised = false;
    }
    return rc;
}

int grant_table_grow(struct grant_table *gt, uint32_t nr_frames)
{
    const struct grant_ops *p = gt->ops;

    if (nr_frames > gt->max_frames)
        return -XEN_EINVAL;

    uint32_t old = gt->nr_frames;
    for (uint32_t i = old; i < nr_frames; i++) {
        void *va = NULL;
        uint64_t mfn = 0;

        gt->active[i] = p->zalloc(GRANT_ENTRIES_PER_FRAME * sizeof(struct grant_active));
        if (!gt->active[i] || p->alloc_shared_frame(gt, &mfn, &va) != 0 || !va) {
            /* Undo this whole grow, so a failed setup_table changes nothing. */
            release_frames_from(gt, old, i + 1);
            return -XEN_ENOMEM;
        }
        gt->frame_mfn[i] = mfn;
        gt->frame_va[i] = va;
    }
    if (nr_frames > old)
        gt->nr_frames = nr_frames;
    return 0;
}

struct grant_entry_v1 *grant_shared_entry(const struct grant_table *gt, grant_ref_t ref)
{
    return &gt->frame_va[ref / GRANT_ENTRIES_PER_FRAME][ref % GRANT_ENTRIES_PER_FRAME];
}

struct grant_active *grant_active_entry(const struct grant_table *gt, grant_ref_t ref)
{
    return &gt->active[ref / GRANT_ENTRIES_PER_FRAME][ref % GRANT_ENTRIES_PER_FRAME];
}

static bool any_pinned(const struct grant_table *gt)
{
    uint32_t n = grant_nr_entries(gt);

    for (grant_ref_t ref = 0; ref < n; ref++)
        if (!grant_pins_zero(grant_active_entry(gt, ref)->pins))
            return true;
    return false;
}

int grant_table_destroy(struct grant_table *gt)
{
    if (!gt->initialised)
        return 0;
    if (gt->maptrack_in_use || any_pinned(gt))
        return -XEN_EBUSY;

    release_frames_from(gt, 0, gt->nr_frames);
    gt->nr_frames = 0;
    grant_maptrack_free_all(gt);
    free_arrays(gt);
    gt->initialised = false;
    return 0;
}
