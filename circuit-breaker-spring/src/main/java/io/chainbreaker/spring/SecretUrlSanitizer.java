package io.chainbreaker.spring;

import java.util.Locale;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Shows the webhook and heartbeat URLs in the actuator's {@code env} and {@code configprops}
 * endpoints as scheme and host only, even where an application lets them show values: such URLs
 * carry their token in the path. Matches the key however it is written ({@code
 * chain-breaker.notifications.webhook.url}, {@code CHAIN_BREAKER_NOTIFICATIONS_WEBHOOK_URL}).
 */
public class SecretUrlSanitizer implements SanitizingFunction {

  @Override
  public SanitizableData apply(SanitizableData data) {
    String key = data.getKey().toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
    if (!key.endsWith("notificationswebhookurl") && !key.endsWith("notificationsheartbeaturl")) {
      return data;
    }
    Object value = data.getValue();
    if (value == null) {
      return data;
    }
    try {
      return data.withValue(WebhookClient.masked(WebhookClient.parse(value.toString())));
    } catch (IllegalArgumentException e) {
      return data.withValue(SanitizableData.SANITIZED_VALUE);
    }
  }
}
