package io.chainbreaker.spring;

import io.chainbreaker.NetworkSettings;
import io.chainbreaker.Setting;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Binds the settings of {@link NetworkSettings#ALL} of every network from Spring's environment, as
 * {@code chain-breaker.networks.<name>.<kebab-name>} with Spring's relaxed names and conversions
 * ({@code 30s}), and fails on any key under {@code chain-breaker} that is not a valid one (the
 * failure analyzer names the nearest). A setting added to the registry is bound here without a
 * change.
 */
final class NetworkSettingsBinder {

  private NetworkSettingsBinder() {}

  /**
   * Sets each network's registry settings on {@code properties}.
   *
   * @throws UnboundConfigurationPropertiesException listing every unknown key under the prefix
   */
  static void bind(Environment environment, ChainBreakerProperties properties) {
    Binder binder = Binder.get(environment);
    for (Map.Entry<String, NetworkProperties> e : properties.getNetworks().entrySet()) {
      for (Setting<?> setting : NetworkSettings.ALL) {
        bind(binder, e.getKey(), e.getValue(), setting);
      }
    }
    refuseUnknownKeys(environment);
  }

  private static <T> void bind(
      Binder binder, String network, NetworkProperties n, Setting<T> setting) {
    ConfigurationPropertyName name =
        ConfigurationPropertyName.adapt(
            PropertyKeys.PREFIX + ".networks." + network + "." + setting.kebabName(), '.');
    binder.bind(name, Bindable.of(setting.type())).ifBound(value -> n.set(setting, value));
  }

  private static void refuseUnknownKeys(Environment environment) {
    ConfigurationPropertyName root = ConfigurationPropertyName.of(PropertyKeys.PREFIX);
    Map<ConfigurationPropertyName, ConfigurationProperty> unknown = new LinkedHashMap<>();
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      if (source instanceof IterableConfigurationPropertySource iterable) {
        iterable.stream()
            .filter(root::isAncestorOf)
            .filter(name -> !PropertyKeys.isValid(name))
            .forEach(
                name -> {
                  ConfigurationProperty property = source.getConfigurationProperty(name);
                  if (property != null) {
                    unknown.putIfAbsent(name, property);
                  }
                });
      }
    }
    if (!unknown.isEmpty()) {
      throw new UnboundConfigurationPropertiesException(new LinkedHashSet<>(unknown.values()));
    }
  }
}
