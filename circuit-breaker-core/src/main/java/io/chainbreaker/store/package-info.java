/**
 * Where overrides and transitions are kept: the {@link io.chainbreaker.store.StateStore} interface
 * and its in-memory implementation.
 */
@NullMarked
package io.chainbreaker.store;

import org.jspecify.annotations.NullMarked;
