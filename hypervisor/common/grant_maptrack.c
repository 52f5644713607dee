/*
 * Maptrack: the handles a domain gets back from map_grant_ref.
 *
 * Slots come in frame-sized chunks, allocated on demand up to
 * max_maptrack_frames, and never move, so a handle stays a plain index.
 * Free slots form one LIFO list: a freed handle is the next one reused,
 * as in Xen with a single vCPU.  (Xen keeps a per-vCPU free list and one
 * slot of each as a sentinel, so its last handle per vCPU is never handed
 * out; here every slot up to the limit can be used.)
 */
#include "common/grant.h"

static uint32_t nr_chunks(const struct grant_table *gt)
{
    return gt->maptrack_limit / GRANT_MAPTRACK_PER_FRAME;
}

struct grant_mapping *grant_maptrack_slot(const struct grant_table *gt,
                                          grant_handle_t handle)
{
    if (handle >= gt->maptrack_limit)
        return NULL;
    return &gt->maptrack[handle / GRANT_MAPTRACK_PER_FRAME][handle % GRANT_MAPTRACK_PER_FRAME];
}

static bool grow(struct grant_table *gt)
{
    uint32_t chunk = nr_chunks(gt);

    if (chunk >= gt->max_maptrack_frames)
        return false;
    struct grant_mapping *slots =
        gt->ops->zalloc(GRANT_MAPTRACK_PER_FRAME * sizeof(*slots));
    if (!slots)
        return false;

    uint32_t base = gt->maptrack_limit;
    /* Thread the new slots so the lowest handle is handed out first. */
    for (uint32_t i = 0; i < GRANT_MAPTRACK_PER_FRAME; i++)
        slots[i].next_free = (i + 1 < GRANT_MAPTRACK_PER_FRAME)
                             ? base + i + 1 : gt->maptrack_free;
    gt->maptrack[chunk] = slots;
    gt->maptrack_limit += GRANT_MAPTRACK_PER_FRAME;
    gt->maptrack_free = base;
    return true;
}

grant_handle_t grant_maptrack_get(struct grant_table *gt)
{
    if (gt->maptrack_free == GRANT_INVALID_HANDLE && !grow(gt))
        return GRANT_INVALID_HANDLE;

    grant_handle_t handle = gt->maptrack_free;
    struct grant_mapping *m = grant_maptrack_slot(gt, handle);

    gt->maptrack_free = m->next_free;
    m->next_free = GRANT_INVALID_HANDLE;
    m->flags = 0;
    gt->maptrack_in_use++;
    return handle;
}

void grant_maptrack_put(struct grant_table *gt, grant_handle_t handle)
{
    struct grant_mapping *m = grant_maptrack_slot(gt, handle);

    if (!m)
        return;
    __builtin_memset(m, 0, sizeof(*m));
    m->next_free = gt->maptrack_free;
    gt->maptrack_free = handle;
    if (gt->maptrack_in_use)
        gt->maptrack_in_use--;
}

void grant_maptrack_free_all(struct grant_table *gt)
{
    uint32_t chunks = nr_chunks(gt);

    for (uint32_t i = 0; i < chunks; i++) {
        gt->ops->free(gt->maptrack[i]);
        gt->maptrack[i] = NULL;
    }
    gt->maptrack_limit = 0;
    gt->maptrack_in_use = 0;
    gt->maptrack_free = GRANT_INVALID_HANDLE;
}

uint32_t grant_list_mappings(const struct grant_table *gt,
                             bool (*visit)(const struct grant_mapping_info *info, void *ctx),
                             void *ctx)
{
    uint32_t seen = 0;

    for (grant_handle_t h = 0; h < gt->maptrack_limit; h++) {
        const struct grant_mapping *m = grant_maptrack_slot(gt, h);
        if (!m->flags)
            continue;

        struct grant_mapping_info info = {
            .mapper = gt->domid,
            .handle = h,
            .granter = m->domid,
            .ref = m->ref,
            .flags = m->flags,
            .host_addr = m->host_addr,
            .mfn = m->mfn,
        };
        seen++;
        if (visit && !visit(&info, ctx))
            break;
    }
    return seen;
}
