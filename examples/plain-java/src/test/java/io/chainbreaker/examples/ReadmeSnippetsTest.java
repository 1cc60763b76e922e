package io.chainbreaker.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The snippets of the README and of docs/ are the examples' and tests' code, word for word, so they
 * cannot drift. A snippet names its source on the line before its fence:
 *
 * <ul>
 *   <li>{@code <!-- snippet: PATH#MARKER -->}: the lines between {@code MARKER:begin} and {@code
 *       MARKER:end} in PATH (relative to the repository), less their common indent;
 *   <li>{@code <!-- snippet: PATH -->}: the whole file;
 *   <li>{@code <!-- fragment: PATH -->}: an excerpt, each line as in PATH (indent aside), a line
 *       {@code ...} standing for lines left out.
 * </ul>
 */
class ReadmeSnippetsTest {

  static final Path ROOT = Path.of("").toAbsolutePath().getParent().getParent();

  /** Pages on which every Java and YAML snippet must name its source. */
  private static final List<String> STRICT_PAGES =
      List.of(
          "README.md",
          "CONTRIBUTING.md",
          "docs/index.md",
          "docs/getting-started.md",
          "docs/configuration.md",
          "docs/rules.md",
          "docs/operations.md",
          "docs/catalog.md",
          "docs/security.md",
          "docs/testing.md");

  private static final Pattern FENCE = Pattern.compile("^( *)```(\\w*)\\s*$");
  private static final Pattern SOURCE =
      Pattern.compile("^\\s*<!-- (snippet|fragment): ([^#\\s]+)(?:#(\\S+))? -->\\s*$");

  /** One fenced code block of a page, and the source it names (null: none). */
  record Snippet(
      Path page,
      int line,
      String language,
      @Nullable String kind,
      @Nullable String source,
      @Nullable String marker,
      String body) {

    String where() {
      return ROOT.relativize(page) + ":" + line;
    }
  }

  /** Every page of the documentation: the README, CONTRIBUTING, docs/*.md, benchmarks/README. */
  static List<Path> pages() {
    List<Path> pages = new ArrayList<>();
    for (String p : List.of("README.md", "CONTRIBUTING.md", "benchmarks/README.md")) {
      if (Files.exists(ROOT.resolve(p))) {
        pages.add(ROOT.resolve(p));
      }
    }
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pages;
  }

  static List<Snippet> snippets(Path page) {
    List<String> lines;
    try {
      lines = Files.readAllLines(page);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Snippet> snippets = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher open = FENCE.matcher(lines.get(i));
      if (!open.matches()) {
        continue;
      }
      int indent = open.group(1).length();
      String language = open.group(2);
      int start = i;
      StringBuilder body = new StringBuilder();
      for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
        String l = lines.get(i);
        body.append(l.length() >= indent ? l.substring(indent) : l.strip()).append('\n');
      }
      Matcher source = start > 0 ? SOURCE.matcher(lines.get(start - 1)) : null;
      boolean named = source != null && source.matches();
      snippets.add(
          new Snippet(
              page,
              start + 1,
              language,
              named ? source.group(1) : null,
              named ? source.group(2) : null,
              named ? source.group(3) : null,
              body.toString()));
    }
    return snippets;
  }

  /** The lines between the {@code marker} begin and end lines, less their common indent. */
  static String marked(Path file, String marker) throws IOException {
    String text = Files.readString(file);
    int at = text.indexOf(marker + ":begin");
    assertThat(at).as("%s has no %s:begin line", file, marker).isNotNegative();
    int begin = text.indexOf('\n', at) + 1;
    int end = text.lastIndexOf('\n', text.indexOf(marker + ":end"));
    List<String> lines = text.substring(begin, end + 1).lines().toList();
    int indent =
        lines.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    return lines.stream()
        .map(l -> l.length() >= indent ? l.substring(indent) : l.strip())
        .collect(Collectors.joining("\n", "", "\n"));
  }

  /** Whether every line of {@code excerpt} is in {@code source} in order, "..." skipping lines. */
  static boolean isExcerptOf(String excerpt, String source) {
    List<String> src = source.lines().map(String::strip).toList();
    List<List<String>> runs = new ArrayList<>();
    List<String> run = new ArrayList<>();
    for (String l : excerpt.lines().map(String::strip).toList()) {
      if (l.equals("...")) {
        if (!run.isEmpty()) {
          runs.add(run);
        }
        run = new ArrayList<>();
      } else {
        run.add(l);
      }
    }
    if (!run.isEmpty()) {
      runs.add(run);
    }
    int from = 0;
    for (List<String> r : runs) {
      int found = -1;
      for (int i = from; i + r.size() <= src.size() && found < 0; i++) {
        if (src.subList(i, i + r.size()).equals(r)) {
          found = i;
        }
      }
      if (found < 0) {
        return false;
      }
      from = found + r.size();
    }
    return true;
  }

  @Test
  void everySnippetThatNamesItsSourceIsThatSourceWordForWord() throws IOException {
    int checked = 0;
    for (Path page : pages()) {
      for (Snippet s : snippets(page)) {
        if (s.source() == null) {
          continue;
        }
        Path source = ROOT.resolve(s.source());
        assertThat(source).as("%s names a source that does not exist", s.where()).exists();
        String text = Files.readString(source);
        if ("fragment".equals(s.kind())) {
          assertThat(isExcerptOf(s.body(), text))
              .as("%s is not an excerpt of %s:%n%s", s.where(), s.source(), s.body())
              .isTrue();
        } else {
          String expected =
              s.marker() == null
                  ? (text.endsWith("\n") ? text : text + "\n")
                  : marked(source, s.marker());
          assertThat(s.body()).as("%s differs from %s", s.where(), s.source()).isEqualTo(expected);
        }
        checked++;
      }
    }
    assertThat(checked).as("snippets checked").isGreaterThanOrEqualTo(8);
  }

  @Test
  void everyJavaAndYamlSnippetOnOurPagesNamesItsSource() {
    List<String> unnamed = new ArrayList<>();
    for (String p : STRICT_PAGES) {
      Path page = ROOT.resolve(p);
      if (!Files.exists(page)) {
        continue;
      }
      for (Snippet s : snippets(page)) {
        if (List.of("java", "yaml", "yml").contains(s.language()) && s.source() == null) {
          unnamed.add(s.where());
        }
      }
    }
    assertThat(unnamed)
        .as("snippets without a <!-- snippet: PATH#MARKER --> line before their fence")
        .isEmpty();
  }

  @Test
  void theReadmeShowsBothQuickStartsAndTheDocsShowTheirExamples() {
    assertSnippet(
        "README.md", "examples/plain-java/src/main/java/io/chainbreaker/examples/QuickStart.java");
    assertSnippet(
        "README.md", "examples/spring-boot-exchange/src/main/resources/application-sim.yml");
    assertSnippet(
        "docs/getting-started.md",
        "examples/plain-java/src/main/java/io/chainbreaker/examples/QuickStart.java");
    assertSnippet(
        "docs/getting-started.md",
        "examples/spring-boot-exchange/src/main/resources/application-mainnet.yml");
    assertSnippet(
        "docs/testing.md",
        "examples/plain-java/src/test/java/io/chainbreaker/examples/WithdrawalServiceTest.java");
    assertSnippet("docs/catalog.md", "examples/plain-java/src/test/resources/catalog.yml");
    assertSnippet("docs/catalog.md", "examples/plain-java/src/test/resources/several-networks.yml");
    assertSnippet(
        "docs/catalog.md",
        "examples/plain-java/src/main/java/io/chainbreaker/examples/LiveCatalog.java");
    assertSnippet(
        "docs/configuration.md",
        "examples/plain-java/src/main/java/io/chainbreaker/examples/OtherFamilies.java");
  }

  private static void assertSnippet(String page, String source) {
    assertThat(snippets(ROOT.resolve(page)))
        .as("%s shows a snippet of %s", page, source)
        .anyMatch(s -> source.equals(s.source()));
  }

  @Test
  void anExcerptMatchesOnlyLinesOfItsSourceInOrder() {
    String source = "a {\n  b;\n  c;\n}\nd\n";
    assertThat(isExcerptOf("a {\n  ...\n}\n", source)).isTrue();
    assertThat(isExcerptOf("b;\nc;\n", source)).isTrue();
    assertThat(isExcerptOf("c;\nb;\n", source)).isFalse();
    assertThat(isExcerptOf("a {\nc;\n", source)).isFalse();
  }

  @Test
  void theSeveralNetworksSampleIsACatalogTheWatcherReads() throws IOException {
    Path file = ROOT.resolve("examples/plain-java/src/test/resources/several-networks.yml");
    io.chainbreaker.Catalog catalog =
        CatalogFile.parse("several-networks.yml", Files.readString(file), null).catalog();
    assertThat(catalog.tokens("USDT"))
        .extracting(io.chainbreaker.TokenConfig::network, io.chainbreaker.TokenConfig::contract)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "ethereum", "0xdac17f958d2ee523a2206206994597c13d831ec7"),
            org.assertj.core.groups.Tuple.tuple("tron", null));
    assertThat(catalog.tokens("PXL"))
        .extracting(io.chainbreaker.TokenConfig::network)
        .containsExactly("klaytn");
  }

  @Test
  void theOtherFamiliesExampleUsesTheLitecoinPresetsIdentity() {
    assertThat(OtherFamilies.litecoin().identity())
        .isEqualTo(io.chainbreaker.NetworkPreset.LITECOIN.identity());
  }
}
