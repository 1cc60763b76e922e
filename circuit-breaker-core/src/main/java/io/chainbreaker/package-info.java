/**
 * Chain Breaker's public API: build a {@link io.chainbreaker.ChainBreaker} from {@link
 * io.chainbreaker.NetworkConfig}s and {@link io.chainbreaker.TokenConfig}s, start it, and ask
 * before each deposit or withdrawal whether the token's network allows it.
 */
@NullMarked
package io.chainbreaker;

import org.jspecify.annotations.NullMarked;
