package io.chainbreaker.spring;

/** What the shared tests need by a name that differs between Boot lines: here Spring Boot 3.5's. */
final class BootLine {

  /** Spring Boot's auto-configuration of {@code spring.datasource.*}. */
  static final Class<?> DATA_SOURCE_AUTO_CONFIGURATION =
      org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration.class;

  private BootLine() {}
}
