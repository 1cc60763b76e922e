package io.chainbreaker.examples.exchange;

import io.chainbreaker.ChainBreaker;
import io.chainbreaker.TokenSuspendedException;
import io.chainbreaker.UnknownTokenException;
import io.chainbreaker.chain.BlockHead;
import io.chainbreaker.spring.ChainBreakerProperties;
import io.chainbreaker.spring.MissingTokenException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns a suspended token into 503 with {@code Retry-After}, an unknown one into 404 and a missing
 * one into 400. {@code Retry-After} is what recovery still needs when the token is recovering
 * (remaining grace, remaining blocks at the block interval), else {@link RecoveryEstimate#UNKNOWN}.
 * The 503 body is public: for an override it says OPERATOR and since when, never who forced it nor
 * why (see {@link TokenSuspendedException#getMessage()}).
 */
@RestControllerAdvice
public class SuspendedTokenHandler {

  private final ChainBreaker breaker;
  private final ChainBreakerProperties properties;
  private final Clock clock;

  SuspendedTokenHandler(ChainBreaker breaker, ChainBreakerProperties properties) {
    this.breaker = breaker;
    this.properties = properties;
    this.clock = Clock.systemUTC();
  }

  @ExceptionHandler(TokenSuspendedException.class)
  ResponseEntity<ProblemDetail> suspended(TokenSuspendedException e) {
    BlockHead head = breaker.network(e.network()).head();
    Duration retryAfter =
        RecoveryEstimate.of(
            e,
            RecoveryEstimate.rule(properties, e.symbol(), e.network(), e.direction()),
            RecoveryEstimate.blockInterval(properties, e.network()),
            head == null ? null : head.number(),
            clock.instant());
    long seconds = (retryAfter.toMillis() + 999) / 1000; // whole seconds, rounded up
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    problem.setTitle(
        e.symbol() + " " + e.direction().name().toLowerCase(Locale.ROOT) + "s are paused");
    problem.setProperty("token", e.symbol());
    problem.setProperty("network", e.network());
    problem.setProperty("direction", e.direction());
    problem.setProperty("state", e.state());
    problem.setProperty("reason", e.reason());
    problem.setProperty("since", e.since());
    problem.setProperty("head", e.head());
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
        .body(problem);
  }

  /** A request naming no token (e.g. a withdrawal without one) is the client's error: 400. */
  @ExceptionHandler(MissingTokenException.class)
  ResponseEntity<ProblemDetail> missing(MissingTokenException e) {
    return ResponseEntity.status(HttpStatus.BAD_REQUEST)
        .body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage()));
  }

  @ExceptionHandler(UnknownTokenException.class)
  ResponseEntity<ProblemDetail> unknown(UnknownTokenException e) {
    return ResponseEntity.status(HttpStatus.NOT_FOUND)
        .body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage()));
  }
}
