package io.chainbreaker.spring;

/** How incident notifications are written. */
public enum WebhookFormat {
  /** A generic JSON object: {@code event}, {@code network}, {@code health}, {@code reason}... */
  JSON,
  /** Slack's incoming-webhook shape, {@code {"text": "..."}}; Mattermost and others read it too. */
  SLACK
}
