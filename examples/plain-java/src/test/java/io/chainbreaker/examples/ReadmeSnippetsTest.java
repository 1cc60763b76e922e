package io.chainbreaker.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's quick starts are the examples' code, word for word, so they cannot drift. */
class ReadmeSnippetsTest {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent().getParent();

  private static String readme() throws IOException {
    return Files.readString(ROOT.resolve("README.md"));
  }

  /** The lines between the quick-start markers, with {@code indent} leading spaces removed. */
  private static String marked(Path file, int indent) throws IOException {
    String text = Files.readString(file);
    int begin = text.indexOf('\n', text.indexOf("quick-start:begin")) + 1;
    int end = text.lastIndexOf('\n', text.indexOf("quick-start:end"));
    return text.substring(begin, end + 1).lines()
        .map(l -> l.length() >= indent ? l.substring(indent) : l.strip())
        .collect(Collectors.joining("\n", "", "\n"));
  }

  @Test
  void thePlainJavaQuickStartIsQuickStartJava() throws IOException {
    String code = marked(ROOT.resolve(
        "examples/plain-java/src/main/java/io/chainbreaker/examples/QuickStart.java"), 4);
    assertThat(readme()).contains("```java\n" + code + "```");
  }

  @Test
  void theSpringBootQuickStartIsTheExamplesConfiguration() throws IOException {
    String yaml = marked(ROOT.resolve(
        "examples/spring-boot-exchange/src/main/resources/application-sim.yml"), 0);
    assertThat(readme()).contains("```yaml\n" + yaml + "```");
  }
}
