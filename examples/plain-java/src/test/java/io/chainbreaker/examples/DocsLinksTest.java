package io.chainbreaker.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of the README, CONTRIBUTING, CHANGELOG and docs/ leads to a file of the
 * repository, and a link to a heading of a Markdown page to a heading that page has.
 */
class DocsLinksTest {

  private static final Path ROOT = ReadmeSnippetsTest.ROOT;

  /**
   * Pages written on other branches of this round, which may be linked before they are merged. Once
   * merged, a page here is checked like any other (it exists); remove it from this list then.
   */
  private static final Set<String> PENDING_PAGES = Set.of("docs/cost.md", "benchmarks/README.md");

  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$");

  private static List<Path> pages() {
    List<Path> pages = new ArrayList<>(ReadmeSnippetsTest.pages());
    pages.add(ROOT.resolve("CHANGELOG.md"));
    return pages;
  }

  /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
  static String anchor(String heading) {
    return heading
        .strip()
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{N} _-]", "")
        .replace(' ', '-');
  }

  private static Set<String> anchors(Path page) throws IOException {
    Set<String> anchors = new HashSet<>();
    boolean inFence = false;
    for (String line : Files.readAllLines(page)) {
      if (line.strip().startsWith("```")) {
        inFence = !inFence;
      }
      Matcher m = HEADING.matcher(line);
      if (!inFence && m.matches()) {
        anchors.add(anchor(m.group(1)));
      }
    }
    return anchors;
  }

  @Test
  void everyRelativeLinkLeadsToAFileAndAHeadingThatExist() throws IOException {
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path page : pages()) {
      boolean inFence = false;
      List<String> lines = Files.readAllLines(page);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.strip().startsWith("```")) {
          inFence = !inFence;
        }
        if (inFence) {
          continue;
        }
        Matcher m = LINK.matcher(line);
        while (m.find()) {
          String link = m.group(1);
          if (link.matches("[a-z]+:.*")) {
            continue; // https:, mailto:
          }
          checked++;
          int hash = link.indexOf('#');
          String file = hash < 0 ? link : link.substring(0, hash);
          String fragment = hash < 0 ? null : link.substring(hash + 1);
          Path target = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
          String where = ROOT.relativize(page) + ":" + (i + 1) + ": " + link;
          String relative = ROOT.relativize(target).toString().replace('\\', '/');
          if (!Files.exists(target)) {
            if (!PENDING_PAGES.contains(relative)) {
              broken.add(where + " (no such file)");
            }
          } else if (fragment != null
              && target.toString().endsWith(".md")
              && !anchors(target).contains(fragment)) {
            broken.add(where + " (no such heading in " + relative + ")");
          }
        }
      }
    }
    assertThat(broken).as("broken links").isEmpty();
    assertThat(checked).as("links checked").isGreaterThan(20);
  }

  @Test
  void anchorsAreWhatGitHubMakesOfAHeading() {
    assertThat(anchor("Quick start (plain Java)")).isEqualTo("quick-start-plain-java");
    assertThat(anchor("`HALTED`: no new head")).isEqualTo("halted-no-new-head");
  }
}
