package io.chainbreaker.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Runs the schema scripts shipped on the class path; each is safe to run again. */
final class SchemaScripts {

  /** The overrides and the audit trail. */
  static final String V1 = "io/chainbreaker/store/schema/V1__chain_breaker.sql";

  /** The catalog table, and the audit trail's {@code kind}. */
  static final String V2 = "io/chainbreaker/store/schema/V2__chain_breaker_catalog.sql";

  /** Symbol columns widened to {@link io.chainbreaker.Limits#SYMBOL}; safe without the tables. */
  static final String V3 = "io/chainbreaker/store/schema/V3__chain_breaker_limits.sql";

  private SchemaScripts() {}

  /** Runs {@code scripts} in order on {@code c}, statement by statement. */
  static void run(Connection c, String... scripts) throws SQLException {
    for (String location : scripts) {
      String script;
      try (InputStream in = SchemaScripts.class.getClassLoader().getResourceAsStream(location)) {
        if (in == null) {
          throw new IllegalStateException("schema script " + location + " is missing");
        }
        script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + location, e);
      }
      StringBuilder sql = new StringBuilder();
      for (String line : script.split("\n", -1)) {
        if (!line.trim().startsWith("--")) {
          sql.append(line).append('\n');
        }
      }
      try (Statement s = c.createStatement()) {
        for (String statement : sql.toString().split(";", -1)) {
          if (!statement.isBlank()) {
            s.execute(statement);
          }
        }
      }
    }
  }
}
