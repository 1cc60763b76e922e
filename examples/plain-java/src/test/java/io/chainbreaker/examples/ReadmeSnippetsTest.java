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
    return marked(file, indent, "quick-start");
  }

  /** The lines between the {@code marker} begin and end lines. */
  private static String marked(Path file, int indent, String marker) throws IOException {
    String text = Files.readString(file);
    int begin = text.indexOf('\n', text.indexOf(marker + ":begin")) + 1;
    int end = text.lastIndexOf('\n', text.indexOf(marker + ":end"));
    return text.substring(begin, end + 1)
        .lines()
        .map(l -> l.length() >= indent ? l.substring(indent) : l.strip())
        .collect(Collectors.joining("\n", "", "\n"));
  }

  @Test
  void thePlainJavaQuickStartIsQuickStartJava() throws IOException {
    String code =
        marked(
            ROOT.resolve(
                "examples/plain-java/src/main/java/io/chainbreaker/examples/QuickStart.java"),
            4);
    assertThat(readme()).contains("```java\n" + code + "```");
  }

  @Test
  void theSpringBootQuickStartIsTheExamplesConfiguration() throws IOException {
    String yaml =
        marked(
            ROOT.resolve("examples/spring-boot-exchange/src/main/resources/application-sim.yml"),
            0);
    assertThat(readme()).contains("```yaml\n" + yaml + "```");
  }

  @Test
  void theTestingYourOwnCodeSnippetIsWithdrawalServiceTest() throws IOException {
    String code =
        marked(
            ROOT.resolve(
                "examples/plain-java/src/test/java/io/chainbreaker/examples/WithdrawalServiceTest.java"),
            2,
            "testing-your-code");
    assertThat(readme()).contains("```java\n" + code + "```");
  }

  @Test
  void theOtherFamiliesSnippetIsOtherFamiliesJavaAndMatchesTheLitecoinPreset() throws IOException {
    String code =
        marked(
            ROOT.resolve(
                "examples/plain-java/src/main/java/io/chainbreaker/examples/OtherFamilies.java"),
            4,
            "other-families");
    assertThat(readme()).contains("```java\n" + code + "```");
    assertThat(OtherFamilies.litecoin().identity())
        .isEqualTo(io.chainbreaker.NetworkPreset.LITECOIN.identity());
  }

  @Test
  void theCatalogFileSampleIsTheFileTheWatcherTestsRunAgainst() throws IOException {
    String yaml =
        Files.readString(ROOT.resolve("examples/plain-java/src/test/resources/catalog.yml"));
    assertThat(readme()).contains("```yaml\n" + yaml + "```");
  }
}
