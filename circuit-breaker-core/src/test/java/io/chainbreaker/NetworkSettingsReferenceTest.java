package io.chainbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The generator of the network settings' reference table in {@code docs/configuration.md} and of
 * the Spring metadata of the per-network keys, both from {@link NetworkSettings#ALL}, and the check
 * that the committed files are what it writes. Regenerate with {@value #REGENERATE}.
 */
class NetworkSettingsReferenceTest {

  static final String REGENERATE =
      "./mvnw -q -o -pl circuit-breaker-core test -Dtest=NetworkSettingsReferenceTest"
          + " -Dchainbreaker.regenerate=true";

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path DOC = ROOT.resolve("docs/configuration.md");
  static final Path METADATA =
      ROOT.resolve(
          "circuit-breaker-spring/src/main/resources/META-INF/"
              + "additional-spring-configuration-metadata.json");

  static final String BEGIN =
      "<!-- network-settings: generated from NetworkSettings.ALL by NetworkSettingsReferenceTest;"
          + " do not edit -->";
  static final String END = "<!-- end of network-settings -->";

  @Test
  void theConfigurationReferenceListsEverySettingOfTheRegistryAsGenerated() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    String expected = withTable(doc);
    if (Boolean.getBoolean("chainbreaker.regenerate")) {
      Files.writeString(DOC, expected, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
        .as("docs/configuration.md differs from NetworkSettings.ALL: run " + REGENERATE)
        .isEqualTo(expected);
    for (Setting<?> s : NetworkSettings.ALL) {
      assertThat(doc).contains("| `" + s.name() + "` | `" + s.kebabName() + "` |");
    }
  }

  @Test
  void theSpringMetadataDescribesEverySettingOfTheRegistryAsGenerated() throws IOException {
    String expected = metadata();
    if (Boolean.getBoolean("chainbreaker.regenerate")) {
      Files.writeString(METADATA, expected, StandardCharsets.UTF_8);
    }
    assertThat(Files.exists(METADATA)).as(METADATA + " is missing: run " + REGENERATE).isTrue();
    String committed = Files.readString(METADATA, StandardCharsets.UTF_8);
    assertThat(committed)
        .as(
            "additional-spring-configuration-metadata.json differs from NetworkSettings.ALL: run "
                + REGENERATE)
        .isEqualTo(expected);
    for (Setting<?> s : NetworkSettings.ALL) {
      assertThat(committed).contains("\"chain-breaker.networks.*." + s.kebabName() + "\"");
    }
  }

  @Test
  void everySettingHasAUniqueNameADocAndAnExampleItsOwnParserReads() {
    Set<String> names = new HashSet<>();
    for (Setting<?> s : NetworkSettings.ALL) {
      assertThat(names.add(s.name())).as("%s is listed twice", s).isTrue();
      assertThat(s.doc()).as("doc of %s", s).endsWith(".");
      assertThat(s.parse(s.example())).as("example of %s", s).isNotNull();
      assertThat(s.parse(s.example()))
          .as("example of %s is its default", s)
          .isNotEqualTo(s.defaultValue());
      assertThat(NetworkSettings.named(s.kebabName())).isSameAs(s);
    }
  }

  @Test
  void valuesAreReadAsSpringWritesThem() {
    assertThat(NetworkSettings.HALT_AFTER.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(NetworkSettings.HALT_AFTER.parse("PT1M")).isEqualTo(Duration.ofMinutes(1));
    assertThat(NetworkSettings.HALT_AFTER.parse(30)).isEqualTo(Duration.ofMillis(30));
    assertThat(NetworkSettings.MODE.parse("ON_DEMAND")).isEqualTo(NetworkMode.ON_DEMAND);
    assertThat(NetworkSettings.SLOW_FACTOR.parse(4)).isEqualTo(4.0);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> NetworkSettings.HALT_AFTER.parse("30x"))
        .hasMessage("'30x' is not a duration (use 500ms, 10s, 5m, 1h)");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> NetworkSettings.MODE.parse("sometimes"))
        .hasMessage("'sometimes' is not one of continuous, on-demand");
  }

  /** {@code doc} with the text between {@link #BEGIN} and {@link #END} replaced by the table. */
  static String withTable(String doc) {
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    assertThat(begin).as("docs/configuration.md has no line " + BEGIN).isNotNegative();
    assertThat(end).as("docs/configuration.md has no line " + END).isGreaterThan(begin);
    return doc.substring(0, begin + BEGIN.length()) + "\n" + table() + doc.substring(end);
  }

  /** The reference table: one row per setting of {@link NetworkSettings#ALL}. */
  static String table() {
    StringBuilder out = new StringBuilder();
    out.append("| setting | Spring / file key, `--flag` | type | default | accepted | what |\n");
    out.append("|---|---|---|---|---|---|\n");
    for (Setting<?> s : NetworkSettings.ALL) {
      out.append("| `")
          .append(s.name())
          .append("` | `")
          .append(s.kebabName())
          .append("` | ")
          .append(typeName(s.type()))
          .append(" | ")
          .append(s.defaultValue() != null ? "`" + s.defaultText() + "`" : s.defaultText())
          .append(" | ")
          .append(s.accepts().isEmpty() ? "—" : s.accepts())
          .append(" | ")
          .append(s.doc())
          .append(" |\n");
    }
    return out.toString();
  }

  private static String typeName(Class<?> type) {
    if (type.isEnum()) {
      StringBuilder out = new StringBuilder();
      for (Object c : type.getEnumConstants()) {
        out.append(out.length() == 0 ? "" : ", ").append(Setting.format(c));
      }
      return "one of " + out;
    }
    return switch (type.getSimpleName()) {
      case "Duration" -> "duration";
      case "Integer", "Long" -> "whole number";
      case "Double" -> "number";
      case "Boolean" -> "true/false";
      default -> "text";
    };
  }

  /** The Spring metadata of {@code chain-breaker.networks.*.<setting>}, as JSON. */
  static String metadata() {
    StringBuilder out = new StringBuilder("{\n  \"properties\": [");
    boolean first = true;
    for (Setting<?> s : NetworkSettings.ALL) {
      out.append(first ? "\n" : ",\n");
      first = false;
      out.append("    {\n");
      field(out, "name", "chain-breaker.networks.*." + s.kebabName());
      field(out, "type", s.type().getName());
      String description =
          s.doc()
              + " Default: "
              + s.defaultText()
              + "."
              + (s.accepts().isEmpty() ? "" : " Accepted: " + s.accepts() + ".");
      field(out, "description", description);
      field(out, "sourceType", "io.chainbreaker.NetworkSettings");
      if (s.defaultValue() != null) {
        out.append(",\n      \"defaultValue\": ");
        Object v = s.defaultValue();
        if (v instanceof Number) {
          out.append(v);
        } else {
          out.append(json(Setting.format(v)));
        }
      }
      out.append("\n    }");
    }
    out.append("\n  ]\n}\n");
    return out.toString();
  }

  private static void field(StringBuilder out, String name, String value) {
    if (!name.equals("name")) {
      out.append(",\n");
    }
    out.append("      \"").append(name).append("\": ").append(json(value));
  }

  private static String json(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
