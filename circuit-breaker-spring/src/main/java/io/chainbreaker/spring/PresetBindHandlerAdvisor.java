package io.chainbreaker.spring;

import io.chainbreaker.NetworkPreset;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

/**
 * Presets bind as the {@link NetworkPreset} enum, so a bad one fails in Spring's binder with "No
 * enum constant ...". This turns that failure into the message the engine gives, naming the key and
 * listing the presets ({@code chain-breaker.networks.klaytn.preset: unknown network preset
 * 'ripple'; presets: klaytn, ...}), which {@link ChainBreakerFailureAnalyzer} then reports.
 */
class PresetBindHandlerAdvisor implements ConfigurationPropertiesBindHandlerAdvisor {

  private static final ConfigurationPropertyName ROOT =
      ConfigurationPropertyName.of("chain-breaker");

  @Override
  public BindHandler apply(BindHandler handler) {
    return new AbstractBindHandler(handler) {
      @Override
      public @Nullable Object onFailure(
          ConfigurationPropertyName name, Bindable<?> target, BindContext context, Exception error)
          throws Exception {
        ConfigurationProperty property = context.getConfigurationProperty();
        if (ROOT.isAncestorOf(name)
            && target.getType().resolve() == NetworkPreset.class
            && property != null) {
          try {
            NetworkPreset.named(String.valueOf(property.getValue()));
          } catch (IllegalArgumentException e) {
            throw new InvalidChainBreakerConfigurationException(
                name.toString(), String.valueOf(e.getMessage()));
          }
        }
        return super.onFailure(name, target, context, error);
      }
    };
  }
}
