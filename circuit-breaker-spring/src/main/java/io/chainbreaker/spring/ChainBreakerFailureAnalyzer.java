package io.chainbreaker.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyNameException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Turns a Chain Breaker configuration error into Spring Boot's short "Description / Action" report
 * instead of a long stack trace: the key the user wrote, its value (never for URLs, which may hold
 * a key) and where it came from, what is wrong and what to write instead. Covers values the engine
 * rejects ({@link InvalidChainBreakerConfigurationException}) and unknown keys under {@code
 * chain-breaker}, which it answers with the nearest valid key. Runs before Boot's own analyzers,
 * which would report an unknown key without a suggestion.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class ChainBreakerFailureAnalyzer implements FailureAnalyzer {

  private static final Pattern BARE_NUMBER = Pattern.compile("-?[0-9]+");

  private final Environment environment;

  /** Boot passes the failed application's environment (null if it failed before having one). */
  ChainBreakerFailureAnalyzer(Environment environment) {
    this.environment = environment;
  }

  @Override
  public @Nullable FailureAnalysis analyze(Throwable failure) {
    InvalidChainBreakerConfigurationException invalid =
        cause(failure, InvalidChainBreakerConfigurationException.class);
    if (invalid != null) {
      return invalid(invalid);
    }
    UnboundConfigurationPropertiesException unbound =
        cause(failure, UnboundConfigurationPropertiesException.class);
    if (unbound != null) {
      return unknown(unbound);
    }
    return null;
  }

  private FailureAnalysis invalid(InvalidChainBreakerConfigurationException e) {
    ConfigurationProperty property = lookUp(e.key());
    StringBuilder description = new StringBuilder("Invalid Chain Breaker configuration:\n\n");
    describe(description, e.key(), property, e.problem());
    StringBuilder action = new StringBuilder("Update " + e.key() + " in your configuration.");
    Object value = property == null ? null : property.getValue();
    if (value != null
        && BARE_NUMBER.matcher(value.toString().trim()).matches()
        && e.problem().contains("PT")) {
      action
          .append(
              " A duration written without a unit is read as milliseconds: write the unit,"
                  + " e.g. ")
          .append(value.toString().trim())
          .append("s, 500ms or 5m.");
    }
    return new FailureAnalysis(description.toString(), action.toString(), e);
  }

  private FailureAnalysis unknown(UnboundConfigurationPropertiesException e) {
    StringBuilder description = new StringBuilder("Unknown Chain Breaker configuration keys:\n\n");
    Set<String> siblings = new TreeSet<>();
    String firstSuggestion = null;
    for (ConfigurationProperty p : e.getUnboundProperties()) {
      String suggestion = PropertyKeys.nearest(p.getName());
      firstSuggestion = firstSuggestion == null ? suggestion : firstSuggestion;
      siblings.addAll(PropertyKeys.siblings(suggestion));
      describe(
          description, p.getName().toString(), p, "no such key; did you mean " + suggestion + "?");
    }
    String action =
        "Correct the spelling of each key above. Valid keys beside "
            + firstSuggestion
            + ": "
            + String.join(", ", siblings)
            + " (see the README's configuration reference).";
    return new FailureAnalysis(description.toString(), action, e);
  }

  private static void describe(
      StringBuilder out, String key, @Nullable ConfigurationProperty property, String reason) {
    out.append("    Property: ").append(key).append('\n');
    if (property != null) {
      boolean url = key.contains("url");
      out.append("    Value: ")
          .append(
              url ? "(not shown: a URL may hold an API key)" : "\"" + property.getValue() + "\"")
          .append('\n');
      if (property.getOrigin() != null) {
        out.append("    Origin: ").append(property.getOrigin()).append('\n');
      }
    }
    out.append("    Reason: ").append(reason).append('\n');
  }

  /** The property as the environment holds it, with its origin; null if not found. */
  private @Nullable ConfigurationProperty lookUp(String key) {
    if (environment == null) {
      return null;
    }
    ConfigurationPropertyName name;
    try {
      name = ConfigurationPropertyName.adapt(key, '.');
    } catch (InvalidConfigurationPropertyNameException e) {
      return null;
    }
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      ConfigurationProperty property = source.getConfigurationProperty(name);
      if (property != null) {
        return property;
      }
    }
    return null;
  }

  private static <T extends Throwable> @Nullable T cause(Throwable failure, Class<T> type) {
    List<Throwable> seen = new ArrayList<>();
    for (Throwable t = failure; t != null && !seen.contains(t); t = t.getCause()) {
      seen.add(t);
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
