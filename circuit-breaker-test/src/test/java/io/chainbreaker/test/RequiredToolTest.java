package io.chainbreaker.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class RequiredToolTest {

  @Test
  void aMissingToolFailsTheTestInCi() {
    assertThatThrownBy(() -> RequiredTool.absent("litecoind is not on PATH", "true"))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("litecoind is not on PATH")
        .hasMessageContaining("CI=true");
  }

  @Test
  void aMissingToolSkipsTheTestElsewhereWithTheReason() {
    for (String ci : new String[] {null, "", "false"}) {
      assertThatThrownBy(() -> RequiredTool.absent("litecoind is not on PATH", ci))
          .as("CI=%s", ci)
          .isInstanceOf(TestAbortedException.class)
          .hasMessageContaining("litecoind is not on PATH");
    }
  }

  @Test
  void findsAProgramOnPathAndOneAtAPath() {
    assertThat(RequiredTool.onPath("sh", "a POSIX shell")).satisfies(Files::isExecutable);
    assertThat(RequiredTool.at("/bin/sh", "sh", "a POSIX shell")).satisfies(Files::isExecutable);
  }

  @Test
  void aProgramThatIsNotThereNeverPasses() {
    assertThatThrownBy(() -> RequiredTool.onPath("no-such-tool-x9", "nowhere"))
        .isInstanceOfAny(TestAbortedException.class, AssertionFailedError.class)
        .hasMessageContaining("no-such-tool-x9 is not on PATH (nowhere)");
    assertThatThrownBy(() -> RequiredTool.at("", "anvil", "run scripts/install-anvil.sh"))
        .isInstanceOfAny(TestAbortedException.class, AssertionFailedError.class)
        .hasMessageContaining("anvil not found at ''");
  }
}
