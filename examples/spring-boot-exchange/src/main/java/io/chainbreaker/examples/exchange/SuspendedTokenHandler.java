package io.chainbreaker.examples.exchange;

import io.chainbreaker.TokenSuspendedException;
import io.chainbreaker.UnknownTokenException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Turns a suspended token into 503 with {@code Retry-After}, and an unknown one into 404. */
@RestControllerAdvice
public class SuspendedTokenHandler {

  /** Clients retry after this many seconds; the breaker decides again on the next poll. */
  static final String RETRY_AFTER_SECONDS = "30";

  @ExceptionHandler(TokenSuspendedException.class)
  ResponseEntity<ProblemDetail> suspended(TokenSuspendedException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
        e.getMessage());
    problem.setTitle(e.token() + " " + e.direction().name().toLowerCase() + "s are paused");
    problem.setProperty("token", e.token());
    problem.setProperty("network", e.network());
    problem.setProperty("direction", e.direction());
    problem.setProperty("state", e.state());
    problem.setProperty("reason", e.reason());
    problem.setProperty("since", e.since());
    problem.setProperty("head", e.head());
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
        .body(problem);
  }

  @ExceptionHandler(UnknownTokenException.class)
  ResponseEntity<ProblemDetail> unknown(UnknownTokenException e) {
    return ResponseEntity.status(HttpStatus.NOT_FOUND)
        .body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage()));
  }
}
