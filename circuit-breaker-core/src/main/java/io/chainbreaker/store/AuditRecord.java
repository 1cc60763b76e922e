package io.chainbreaker.store;

import io.chainbreaker.TokenTransition;

/**
 * One row of the audit trail.
 *
 * @param id its position in the trail, increasing
 * @param transition what happened
 * @param instance the id of the engine instance that made the transition
 */
public record AuditRecord(long id, TokenTransition transition, String instance) {}
