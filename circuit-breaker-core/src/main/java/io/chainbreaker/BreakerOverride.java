package io.chainbreaker;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An operator's forced state for one token and direction. It outranks the automatic state until it
 * is cleared or expires, and it is kept in the state store so that it survives restarts.
 *
 * @param symbol the token's symbol
 * @param network the token's network
 * @param direction the direction it forces
 * @param state {@link BreakerState#SUSPENDED} or {@link BreakerState#ALLOWED}
 * @param actor who forced it
 * @param note why, in the operator's words
 * @param createdAt when it was made
 * @param expiresAt when it stops being in force, or null for never
 */
public record BreakerOverride(
    String symbol,
    String network,
    Direction direction,
    BreakerState state,
    String actor,
    String note,
    Instant createdAt,
    @Nullable Instant expiresAt) {

  /**
   * The longest actor {@link ChainBreaker#forceSuspend}, {@link ChainBreaker#forceAllow} and {@link
   * ChainBreaker#clearOverride} accept, in characters ({@link Limits#ACTOR}).
   */
  public static final int MAX_ACTOR_LENGTH = Limits.ACTOR;

  /** The longest note the engine accepts, in characters ({@link Limits#NOTE}). */
  public static final int MAX_NOTE_LENGTH = Limits.NOTE;

  /** The longest time to live the engine accepts. */
  public static final Duration MAX_TTL = Duration.ofDays(365);

  /**
   * Checks an operator's actor, note and time to live as the engine's override methods do, before
   * anything is stored: non-blank, at most {@link #MAX_ACTOR_LENGTH} and {@link #MAX_NOTE_LENGTH}
   * characters, no control characters (no line breaks, tabs, NUL or ESC), a time to live that is
   * positive and at most {@link #MAX_TTL}.
   *
   * @param note the note, or null to check only the actor (clearing needs no note)
   * @throws IllegalArgumentException naming what is wrong (never echoing the text itself)
   */
  public static void validate(String actor, @Nullable String note, @Nullable Duration ttl) {
    checkText("actor", actor, MAX_ACTOR_LENGTH);
    if (note != null) {
      checkText("note", note, MAX_NOTE_LENGTH);
    }
    if (ttl != null && (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0)) {
      throw new IllegalArgumentException(
          "override ttl must be positive and at most " + MAX_TTL.toDays() + " days but was " + ttl);
    }
  }

  private static void checkText(String what, @Nullable String text, int max) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "an override needs a" + (what.equals("actor") ? "n " : " ") + what);
    }
    if (text.length() > max) {
      throw new IllegalArgumentException(
          "override " + what + " must be at most " + max + " characters but had " + text.length());
    }
    if (SafeText.hasControlCharacter(text)) {
      throw new IllegalArgumentException(
          "override "
              + what
              + " must not contain control characters (line breaks, tabs, NUL, ESC)");
    }
  }

  /** Validates the forced state, actor and note. */
  public BreakerOverride {
    Objects.requireNonNull(symbol, "symbol");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdAt, "createdAt");
    if (state == BreakerState.RECOVERING) {
      throw new IllegalArgumentException("an override forces ALLOWED or SUSPENDED, not RECOVERING");
    }
    if (actor == null || actor.isBlank()) {
      throw new IllegalArgumentException("an override needs an actor");
    }
    if (note == null || note.isBlank()) {
      throw new IllegalArgumentException("an override needs a note");
    }
    if (expiresAt != null && !expiresAt.isAfter(createdAt)) {
      throw new IllegalArgumentException(
          "override expiry must be after its creation (" + createdAt + ") but was " + expiresAt);
    }
  }

  /**
   * The token, as one value: {@code SYMBOL@network}.
   *
   * @throws IllegalArgumentException if this override was built with a symbol or network that
   *     {@link Limits} refuses (never one the engine made)
   */
  public TokenId tokenId() {
    return TokenId.of(symbol, network);
  }

  /** Whether it has expired at {@code now}. */
  public boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
