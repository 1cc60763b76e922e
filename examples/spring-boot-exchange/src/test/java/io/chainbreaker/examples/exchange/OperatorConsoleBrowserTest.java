package io.chainbreaker.examples.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainbreaker.test.RequiredTool;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The operator console in a real browser (Debian's headless Chromium under chromedriver): sign in,
 * watch the simulated chain halt and recover without reloading, suspend and release a token, read
 * the audit trail. Screenshots go to {@code target/console-halted.png} and {@code
 * target/console-recovered.png} (the README's are copies).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(value = 2, unit = TimeUnit.MINUTES) // real time: a hang fails, not stalls
class OperatorConsoleBrowserTest {

  private static final File CHROMIUM = new File("/usr/bin/chromium");
  private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(30);

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      int port = s.getLocalPort();
      registry.add("exchange.simulated-chain.port", () -> port);
    }
    registry.add("exchange.demo-password", () -> "test-password");
    registry.add("chain-breaker.networks.klaytn.halt-after", () -> "3s");
    registry.add("chain-breaker.networks.klaytn.poll-interval", () -> "200ms");
    registry.add("chain-breaker.console.refresh-interval", () -> "1s");
  }

  @LocalServerPort int port;

  TestHttp http;

  private Path profile;
  private WebDriver browser;
  private WebDriverWait wait;

  @BeforeEach
  void startBrowser() throws IOException {
    http = TestHttp.onPort(port);
    RequiredTool.at(CHROMIUM.getPath(), "chromium", "apt-get install chromium; .ci/run does");
    RequiredTool.at(
        CHROMEDRIVER.getPath(), "chromedriver", "apt-get install chromium-driver; .ci/run does");
    profile = Files.createTempDirectory("chain-breaker-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,1100",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER)
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, WAIT);
  }

  @AfterEach
  void stopBrowser() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  // The page re-renders its tables every second: read them in one script call, not through
  // element references that a refresh may replace.
  private String text(String css) {
    Object text =
        ((JavascriptExecutor) browser)
            .executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent : '';",
                css);
    return String.valueOf(text);
  }

  private static String row(String token, String direction) {
    return "#tokens tr[data-token='" + token + "'][data-direction='" + direction + "']";
  }

  private String networkHealth() {
    return text("#networks tr[data-network='klaytn'] td:nth-child(2)");
  }

  private String state(String token, String direction) {
    return text(row(token, direction) + " td.state");
  }

  /** Clicks what {@code css} finds, again if a refresh replaced it first. */
  private void click(String css) {
    wait.ignoring(StaleElementReferenceException.class)
        .until(
            d -> {
              d.findElement(By.cssSelector(css)).click();
              return true;
            });
  }

  private void screenshot(String name) throws IOException {
    File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
  }

  private void override(String token, String direction, String action, String note) {
    new Select(browser.findElement(By.id("ov-token"))).selectByValue(token);
    new Select(browser.findElement(By.id("ov-direction"))).selectByValue(direction);
    new Select(browser.findElement(By.id("ov-action"))).selectByValue(action);
    WebElement noteField = browser.findElement(By.id("ov-note"));
    noteField.clear();
    noteField.sendKeys(note);
    browser.findElement(By.id("ov-submit")).click();
  }

  @Test
  void anOperatorSeesAHaltLiveSuspendsAndReleasesATokenAndReadsTheAudit() throws IOException {
    browser.get("http://localhost:" + port + "/chain-breaker");
    wait.until(ExpectedConditions.urlContains("/login"));
    browser.findElement(By.id("username")).sendKeys("operator");
    browser.findElement(By.id("password")).sendKeys("test-password");
    browser.findElement(By.cssSelector("button[type=submit]")).click();
    wait.until(
        d -> networkHealth().equals("HEALTHY") && state("PXL", "withdrawal").equals("ALLOWED"));
    assertThat(browser.findElement(By.id("user")).getText())
        .isEqualTo("signed in as operator (operator)");
    // a marker that a reload would lose: the page must update itself
    ((JavascriptExecutor) browser).executeScript("window.chainBreakerTestMarker = 42;");

    http.postForEntity("/simulated-chain/halt", null, String.class);
    wait.until(
        d -> networkHealth().equals("HALTED") && state("PXL", "withdrawal").equals("SUSPENDED"));
    assertThat(text(row("PXL", "withdrawal"))).contains("HALTED");
    browser.findElement(By.id("only-not-allowed")).click();
    assertThat(
            ((JavascriptExecutor) browser)
                .executeScript("return document.querySelectorAll('#tokens tbody tr').length"))
        .isEqualTo(6L);
    screenshot("console-halted.png");
    browser.findElement(By.id("only-not-allowed")).click();

    http.postForEntity("/simulated-chain/resume", null, String.class);
    wait.until(
        d -> networkHealth().equals("HEALTHY") && state("PXL", "withdrawal").equals("ALLOWED"));
    assertThat(((JavascriptExecutor) browser).executeScript("return window.chainBreakerTestMarker"))
        .as("updated without a reload")
        .isEqualTo(42L);

    override("PXL", "withdrawal", "suspend", "<b>hot wallet</b> audit");
    wait.until(d -> state("PXL", "withdrawal").equals("SUSPENDED"));
    assertThat(text(row("PXL", "withdrawal") + " td.override"))
        .startsWith("SUSPENDED by operator: <b>hot wallet</b> audit");
    assertThat(browser.findElements(By.cssSelector("#tokens b"))).as("text, not markup").isEmpty();

    override("PXL", "withdrawal", "clear", "");
    wait.until(d -> state("PXL", "withdrawal").equals("ALLOWED"));
    click(row("PXL", "withdrawal") + " button.audit");
    wait.until(d -> !text("#audit tbody tr").isEmpty());
    List<String> audit =
        ((List<?>)
                ((JavascriptExecutor) browser)
                    .executeScript(
                        "return Array.from(document.querySelectorAll('#audit tbody tr'))"
                            + ".map(r => Array.from(r.cells).slice(1, 6).map(c => c.textContent).join(' '));"))
            .stream().map(String::valueOf).toList();
    assertThat(audit)
        .contains(
            "WITHDRAWAL ALLOWED SUSPENDED OPERATOR operator",
            "WITHDRAWAL SUSPENDED ALLOWED HEALTHY operator",
            "WITHDRAWAL ALLOWED SUSPENDED HALTED ");
    screenshot("console-recovered.png");
  }
}
