package io.chainbreaker.test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds a program an integration test needs (a real node such as {@code anvil} or {@code
 * litecoind}, a browser, {@code promtool}). When it is absent the test is skipped, with the reason
 * printed, on a developer's machine, and fails where the environment variable {@code CI} is {@code
 * true}: CI installs every tool, so a missing one there is a broken build, never a silent skip.
 *
 * <pre>{@code
 * Path litecoind = RequiredTool.onPath("litecoind", "apt-get install litecoind");
 * }</pre>
 */
public final class RequiredTool {

  private RequiredTool() {}

  /**
   * The executable named {@code program} on {@code PATH}; skips or fails the calling test when
   * there is none.
   *
   * @param howToGetIt how to install it, for the message: {@code "apt-get install litecoind"}
   */
  public static Path onPath(String program, String howToGetIt) {
    Objects.requireNonNull(program, "program");
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "" : path).split(File.pathSeparator, -1)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, program);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw absent(program + " is not on PATH (" + howToGetIt + ")", System.getenv("CI"));
  }

  /**
   * The executable at {@code path} (for a tool installed into the build, as {@code anvil} is);
   * skips or fails the calling test when {@code path} is null, empty or not executable.
   *
   * @param howToGetIt how to install it, for the message
   */
  public static Path at(@Nullable String path, String program, String howToGetIt) {
    if (path != null && !path.isEmpty() && Files.isExecutable(Path.of(path))) {
      return Path.of(path);
    }
    throw absent(
        program + " not found at '" + path + "' (" + howToGetIt + ")", System.getenv("CI"));
  }

  /**
   * What a missing tool does to the test: the failure in CI ({@code ci} is {@code true}), the skip
   * elsewhere (printed, so the skip is seen in the build's output).
   */
  static RuntimeException absent(String reason, @Nullable String ci) {
    if ("true".equalsIgnoreCase(ci)) {
      Assertions.fail(reason + "; CI=true, so this fails instead of skipping");
    }
    System.err.println("SKIPPED: " + reason + "; with CI=true this fails");
    Assumptions.abort(reason);
    throw new AssertionError("unreachable: Assumptions.abort throws");
  }
}
