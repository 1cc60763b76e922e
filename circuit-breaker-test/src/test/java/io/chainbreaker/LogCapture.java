package io.chainbreaker;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What the engine logs while a piece of test code runs (slf4j-simple writes to System.err). */
public final class LogCapture {

  private LogCapture() {}

  /** Code that may throw. */
  @FunctionalInterface
  public interface Body {
    /** Runs it. */
    void run() throws Exception;
  }

  /** Runs {@code body} and returns what was logged meanwhile. */
  public static String of(Body body) throws Exception {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setErr(err);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
