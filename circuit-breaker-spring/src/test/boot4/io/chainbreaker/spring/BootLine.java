package io.chainbreaker.spring;

/** What the shared tests need by a name that differs between Boot lines: here Spring Boot 4's. */
final class BootLine {

  /** Spring Boot's auto-configuration of {@code spring.datasource.*}. */
  static final Class<?> DATA_SOURCE_AUTO_CONFIGURATION =
      org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration.class;

  private BootLine() {}
}
