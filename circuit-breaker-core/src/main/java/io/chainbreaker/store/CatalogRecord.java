package io.chainbreaker.store;

import java.time.Instant;

/**
 * One catalog change in the audit trail: who changed what, when, on which instance.
 *
 * @param id its position in the trail, increasing (shared with {@link AuditRecord#id()})
 * @param change what changed, as {@link io.chainbreaker.CatalogChange#describe()} puts it
 * @param actor who changed it
 * @param at when it was applied
 * @param instance the id of the engine instance that applied it
 */
public record CatalogRecord(long id, String change, String actor, Instant at, String instance) {}
