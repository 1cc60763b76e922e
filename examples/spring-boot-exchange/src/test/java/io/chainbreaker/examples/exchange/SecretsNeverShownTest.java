package io.chainbreaker.examples.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No secret anywhere: the example, started as a real process with an RPC key and a webhook URL on
 * its command line, a heartbeat URL as a system property and another RPC key in an environment
 * variable, every actuator endpoint that can show them exposed with {@code show-values: always},
 * never shows one: not in {@code env} (command line, system properties, environment), {@code
 * configprops}, health, info, the chain breaker's endpoints, metrics, the console, or its logs.
 */
@Timeout(180)
class SecretsNeverShownTest {

  static final String RPC_KEY_ON_COMMAND_LINE = "RpcK3yOnCommandLine0123";
  static final String RPC_KEY_IN_ENVIRONMENT = "RpcK3yFromEnvironment4567";
  static final String WEBHOOK_TOKEN = "WebhookS3cretT0ken89";
  static final String HEARTBEAT_TOKEN = "Heartb3atS3cretUuid42";
  static final List<String> SECRETS =
      List.of(RPC_KEY_ON_COMMAND_LINE, RPC_KEY_IN_ENVIRONMENT, WEBHOOK_TOKEN, HEARTBEAT_TOKEN);

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Process app;
  private static Path log;
  private static int port;
  private static int nobody;

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @BeforeAll
  static void startTheExampleWithSecretsOnTheCommandLine() throws Exception {
    port = freePort();
    int chainPort = freePort();
    nobody = freePort(); // the webhook and heartbeat go nowhere: a failed call is logged too
    log = Path.of("target", "secrets-never-shown.log"); // kept for whoever reads a failure
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(
        "-Dchain-breaker.notifications.heartbeat.url=http://127.0.0.1:"
            + nobody
            + "/ping/"
            + HEARTBEAT_TOKEN);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ExchangeApplication.class.getName());
    command.add("--server.port=" + port);
    command.add("--exchange.simulated-chain.port=" + chainPort);
    command.add("--exchange.demo-password=test-password");
    command.add(
        "--chain-breaker.networks.klaytn.rpc-urls[0]=http://127.0.0.1:"
            + chainPort
            + "/v3/"
            + RPC_KEY_ON_COMMAND_LINE);
    command.add(
        "--chain-breaker.networks.klaytn.rpc-urls[1]=http://127.0.0.1:"
            + chainPort
            + "/v2/${RPC_KEY}");
    command.add(
        "--chain-breaker.notifications.webhook.url=http://127.0.0.1:"
            + nobody
            + "/hooks/T0001/B0001/"
            + WEBHOOK_TOKEN);
    command.add("--chain-breaker.notifications.heartbeat.interval=1s");
    command.add(
        "--management.endpoints.web.exposure.include="
            + "health,info,env,configprops,chainbreakers,chainbreakercatalog,metrics,prometheus,"
            + "beans,conditions,loggers,scheduledtasks");
    command.add("--management.endpoint.env.show-values=always");
    command.add("--management.endpoint.configprops.show-values=always");
    command.add("--management.endpoint.health.show-details=always");
    command.add("--management.info.env.enabled=true");
    command.add("--management.info.java.enabled=true");
    command.add("--management.info.os.enabled=true");
    command.add("--management.info.process.enabled=true");
    command.add("--info.app=spring-boot-exchange");
    command.add("--logging.level.io.chainbreaker=DEBUG");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("RPC_KEY", RPC_KEY_IN_ENVIRONMENT);
    app = builder.start();
    await()
        .atMost(Duration.ofSeconds(120))
        .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
        .until(
            () -> {
              assertThat(app.isAlive())
                  .as("the example exited: %s", Files.readString(log))
                  .isTrue();
              return get("/actuator/health").statusCode() == 200
                  && get("/actuator/chainbreakers").body().contains("\"state\":\"ALLOWED\"");
            });
    // a heartbeat fails (nobody listens), and is logged
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Files.readString(log).contains("GET to http://127.0.0.1:" + nobody + "/***"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (app != null) {
      app.destroy();
      app.waitFor();
    }
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    String basic =
        Base64.getEncoder()
            .encodeToString("operator:test-password".getBytes(StandardCharsets.UTF_8));
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Basic " + basic)
            .header("Accept", "application/json, text/plain, */*")
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void assertNoSecretIn(String channel, String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    for (String secret : SECRETS) {
      assertThat(lower).as("%s shows %s", channel, secret).doesNotContain(secret.toLowerCase());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/actuator/env",
        "/actuator/env/sun.java.command",
        "/actuator/env/chain-breaker.notifications.webhook.url",
        "/actuator/env/chain-breaker.notifications.heartbeat.url",
        "/actuator/env/chain-breaker.networks.klaytn.rpc-urls%5B0%5D",
        "/actuator/env/RPC_KEY",
        "/actuator/configprops",
        "/actuator/configprops/chain-breaker",
        "/actuator/health",
        "/actuator/info",
        "/actuator/chainbreakers",
        "/actuator/chainbreakercatalog",
        "/actuator/prometheus",
        "/actuator/beans",
        "/actuator/conditions",
        "/actuator/scheduledtasks",
        "/chain-breaker/api/status",
        "/chain-breaker",
        "/chain-breaker/wallet-status"
      })
  void noChannelShowsASecret(String path) throws Exception {
    HttpResponse<String> answer = get(path);

    assertThat(answer.statusCode()).as(path).isEqualTo(200);
    assertNoSecretIn(path, answer.body());
  }

  @Test
  void theEnvEndpointShowsTheCommandLineAndEachSourceMasked() throws Exception {
    String command = get("/actuator/env/sun.java.command").body();
    assertThat(command)
        .contains("--chain-breaker.notifications.webhook.url=http://127.0.0.1:")
        .contains("/***");
    String env = get("/actuator/env").body();
    assertThat(env)
        .contains("commandLineArgs", "systemProperties", "systemEnvironment", "RPC_KEY")
        .contains("/v3/***");
    assertThat(get("/actuator/env/chain-breaker.notifications.heartbeat.url").body())
        .contains("http://127.0.0.1:");
    assertThat(get("/actuator/configprops/chain-breaker").body()).contains("rpcUrls", "/v3/***");
  }

  @Test
  void theLogsNameEachEndpointMaskedAndNeverASecret() throws Exception {
    String logs = Files.readString(log);
    assertThat(logs).contains("/v3/***", "GET to http://127.0.0.1:" + nobody + "/***");
    assertNoSecretIn("the logs", logs);
  }
}
