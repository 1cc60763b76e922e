package io.chainbreaker;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A network changed health or reason.
 *
 * @param network the network name
 * @param from the health before
 * @param to the health now
 * @param reason why
 * @param detail a sentence for people
 * @param at when
 * @param head the network head number then, or null
 */
public record NetworkHealthChange(
    String network,
    NetworkHealth from,
    NetworkHealth to,
    Reason reason,
    String detail,
    Instant at,
    @Nullable Long head) {}
