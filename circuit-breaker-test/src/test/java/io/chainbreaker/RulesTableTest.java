package io.chainbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The generator of docs/rules.md's table of rules, and the test that the committed table is what
 * the rules say: one row per {@link HaltRule}, strongest first, from its {@link
 * HaltRule#description()} and {@link HaltRule#suspendsByDefault()}. After adding or changing a
 * rule, regenerate the table with
 *
 * <pre>
 * CHAINBREAKER_WRITE_DOCS=true ./mvnw -B -ntp -q -pl circuit-breaker-test -am test \
 *     -Dtest=RulesTableTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class RulesTableTest {

  /** The page, from the module's directory (where Surefire runs the tests). */
  private static final Path PAGE = Path.of("..", "docs", "rules.md");

  static final String BEGIN =
      "<!-- The table of rules is generated from each rule's description() by RulesTableTest:"
          + " edit the rule, then regenerate (see CONTRIBUTING.md). -->";
  static final String END = "<!-- End of the generated table of rules. -->";

  /** The table, one row per rule, strongest first. */
  static String table() {
    StringBuilder b = new StringBuilder();
    b.append("| reason | in force when | suspends by default |\n");
    b.append("|---|---|---|\n");
    for (HaltRule rule : HaltRule.ALL) {
      b.append("| `")
          .append(rule.reason())
          .append("` | ")
          .append(rule.description().replace("|", "\\|"))
          .append(" | ")
          .append(directions(rule.suspendsByDefault()))
          .append(" |\n");
    }
    return b.toString();
  }

  private static String directions(Set<Direction> directions) {
    if (directions.size() == Direction.values().length) {
      return "deposits and withdrawals";
    }
    if (directions.isEmpty()) {
      return "nothing (reported only)";
    }
    return directions.contains(Direction.DEPOSIT) ? "deposits" : "withdrawals";
  }

  /** {@code page} with the text between the markers replaced by {@code table}. */
  static String splice(String page, String table) {
    int begin = page.indexOf(BEGIN);
    int end = page.indexOf(END);
    assertThat(begin).as("docs/rules.md has the table's opening marker").isNotNegative();
    assertThat(end).as("and its closing marker after it").isGreaterThan(begin);
    return page.substring(0, begin + BEGIN.length()) + "\n\n" + table + "\n" + page.substring(end);
  }

  @Test
  void docsListEveryRuleAsItsClassDescribesItStrongestFirst() throws IOException {
    String page = Files.readString(PAGE, StandardCharsets.UTF_8);
    String expected = splice(page, table());
    if (Boolean.parseBoolean(System.getenv("CHAINBREAKER_WRITE_DOCS"))) {
      Files.writeString(PAGE, expected, StandardCharsets.UTF_8);
      page = expected;
    }
    assertThat(page)
        .as(
            "docs/rules.md's table of rules is stale: regenerate it with"
                + " CHAINBREAKER_WRITE_DOCS=true and -Dtest=RulesTableTest (see this class)")
        .isEqualTo(expected);
  }

  @Test
  void theSpliceReplacesOnlyTheTable() {
    String page = "intro\n" + BEGIN + "\n\nold table\n\n" + END + "\nrest\n";
    assertThat(splice(page, "| new |\n"))
        .isEqualTo("intro\n" + BEGIN + "\n\n| new |\n\n" + END + "\nrest\n");
  }
}
