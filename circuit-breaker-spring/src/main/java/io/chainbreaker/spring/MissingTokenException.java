package io.chainbreaker.spring;

/**
 * Thrown by a {@link GuardDeposit} or {@link GuardWithdrawal} guard when its token expression gives
 * no token symbol for a call (e.g. a withdrawal request without a token): the caller's input is
 * wrong, so web applications answer 400, not 500. It carries no stack trace.
 */
public class MissingTokenException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** An exception saying that {@code expression} gave {@code value}, not a token symbol. */
  public MissingTokenException(String expression, String value) {
    super("no token symbol given: the token expression '" + expression + "' gave " + value);
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
