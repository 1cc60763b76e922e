package io.chainbreaker.store;

/**
 * A write the state store could not take: its queue stayed full (the database is slow or away) for
 * as long as a producer may be held up. The write is not stored; the store counted it and logged it
 * at ERROR, and it writes a {@code LOST} row in the audit trail for the token once it has caught
 * up. The engine holds that token SUSPENDED with {@link io.chainbreaker.Reason#STORE_UNAVAILABLE}
 * until then, and refuses an operator's override that would allow (a suspension is still put in
 * force on this instance).
 */
public class StateStoreFullException extends StateStoreException {
  private static final long serialVersionUID = 1L;

  /** A write refused for the reason {@code message} says. */
  public StateStoreFullException(String message) {
    super(message, null);
  }
}
