package com.kychub.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.canonical.CaseStatus;
import com.kychub.inbound.HmacSignatures;
import com.kychub.sandbox.SandboxDemo;
import com.kychub.sandbox.SandboxPerson;
import com.kychub.support.SandboxHubTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The console in a real browser (Debian's headless Chromium and its driver, driven by Selenium) against the hub with
 * the sandbox demo running: a wrong key is refused; the operator signs in, finds a demo customer, opens their case's
 * timeline and the raw message behind an event, and a provider's answer holding personal data, redacted until
 * revealed; a Striga webhook that arrived before Striga's API knew its user is FAILED, and once the user is known the
 * operator counts it with a dry run, replays it from the inbox and sees it PROCESSED; then every other page, an
 * erasure confirmed by typing the customer id, and sign-out. Each page's screenshot goes to
 * {@code target/console-screenshots/}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
        "kyc.db.local-database=${kyc.test.database:kyc_hub_test}_console",
        "camel.main.name=kyc-hub-console-test",
        "kyc.demo.enabled=true",
        "kyc.sandbox.step-min-delay=100ms",
        "kyc.sandbox.step-max-delay=300ms",
        "kyc.sandbox.review-min-delay=200ms",
        "kyc.sandbox.review-max-delay=500ms",
        "kyc.sandbox.ocr-min-delay=300ms",
        "kyc.sandbox.ocr-max-delay=600ms",
        "kyc.sandbox.duplicate-probability=0",
        "kyc.sandbox.late-probability=0",
        "kyc.sandbox.drop-probability=0",
        "kyc.inbox.poll-period=100ms",
        "kyc.providers.connectfi.poll-tick-millis=200",
        "kyc.providers.width.poll-every=250ms",
        "kyc.providers.width.poll-tick-millis=100"})
class ConsoleBrowserTest extends SandboxHubTest {

    /** The sandbox profile's Striga key (application-sandbox.yml). */
    private static final String STRIGA_API_KEY = "sandbox-striga-api-key";
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static Path profile;
    private static WebDriver browser;
    private static int screenshots;

    @Autowired
    SandboxDemo demo;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeAll
    static void startBrowser() throws IOException {
        profile = Files.createTempDirectory("console-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        // Without the background-networking flags Chromium keeps calling home, into a closed network.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1000", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(driver, options);
        Files.createDirectories(SCREENSHOTS);
        try (var old = Files.list(SCREENSHOTS)) {
            for (Path png : old.filter(file -> file.toString().endsWith(".png")).toList()) {
                Files.delete(png);
            }
        }
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted((a, b) -> b.compareTo(a)).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void anOperatorFollowsADemoCustomerToTheRawMessageAndReplaysAFailedOne() throws Exception {
        SandboxDemo.DemoCustomer customer = demo.customers().stream()
                .filter(c -> c.provider().equals("striga") && c.expected() == CaseStatus.APPROVED).findFirst()
                .orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "select count(*) from kyc_case where customer_id = ? and status = 'APPROVED'", Integer.class,
                customer.customerId()) == 1);
        long failed = failedStrigaWebhook("console-early-" + customer.customerId());

        // A wrong key is refused, and the page says why.
        browser.get(hub("/"));
        WebElement key = waitFor(By.id("key"));
        drawn("sign-in");
        key.sendKeys("not-a-key");
        click("sign-in-button");
        assertThat(waitForText(By.id("error"))).contains("operator key");
        assertThat(browser.findElements(By.cssSelector("[data-test=case-row]"))).isEmpty();

        // The operator signs in and finds the demo customer.
        key = browser.findElement(By.id("key"));
        key.clear();
        key.sendKeys(OPERATOR_KEY);
        click("sign-in-button");
        waitFor(By.cssSelector("[data-test=case-row]"));
        waitFor(By.cssSelector("[data-test=count-total]"));
        drawn("cases");
        WebElement search = browser.findElement(By.id("search"));
        search.sendKeys(customer.customerId());
        click("apply-filters");
        waitUntil(b -> b.findElements(By.cssSelector("[data-test=case-row]")).size() == 1
                && b.findElement(By.cssSelector("[data-test=case-link]")).getText().equals(customer.customerId()));

        // Its timeline, and the raw message behind an event: redacted, then revealed.
        click("case-link");
        waitFor(By.cssSelector("[data-test=event-row] [data-test=raw-message-link]"));
        assertThat(text("case-status")).isEqualTo("APPROVED");
        drawn("case");
        browser.findElement(By.cssSelector("[data-test=event-row] [data-test=raw-message-link]")).click();
        waitFor(By.cssSelector("[data-test=body]"));
        assertThat(text("message-provider")).isEqualTo("striga");
        assertThat(text("redaction")).contains("redacted");
        drawn("message");
        click("reveal");
        waitUntil(b -> String.valueOf(visibleText(By.cssSelector("[data-test=redaction]"))).contains("shown"));

        // A provider's answer that holds personal data (Ondato's identification: the document's names) shows none
        // of it until the operator asks.
        Map<String, Object> identification = await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForList("""
                select m.id, c.customer_id from inbound_message m join kyc_case c on c.id = m.case_id
                where m.provider = 'ondato' and m.message_type = 'identification' and m.state = 'PROCESSED'
                order by m.id limit 1""").stream().findFirst().orElse(null), Objects::nonNull);
        String lastName = SandboxPerson.of((String) identification.get("customer_id")).lastName();
        page("/#/message/" + identification.get("id"), By.cssSelector("[data-test=body]"), "message-redacted");
        assertThat(text("body")).doesNotContain(lastName);
        click("reveal");
        waitUntil(b -> text("body").contains(lastName));

        // The FAILED webhook: counted by a dry run, replayed from the inbox, then PROCESSED.
        browser.get(hub("/#/inbox?state=FAILED&provider=striga"));
        waitFor(By.cssSelector("[data-test=inbox-row][data-id='" + failed + "']"));
        new Select(browser.findElement(By.id("bulk-provider"))).selectByValue("striga");
        click("bulk-dry-run");
        assertThat(waitForText(By.cssSelector("[data-test=bulk-outcome]")))
                .isEqualTo("1 message of striga would be replayed.");
        assertThat(browser.findElement(By.cssSelector("[data-test=bulk-confirm]")).isDisplayed()).isTrue();
        screenshot("inbox");
        browser.findElement(By.cssSelector("[data-test=inbox-row][data-id='" + failed + "'] [data-test=replay]"))
                .click();
        waitUntil(b -> b.findElements(By.cssSelector("[data-test=inbox-row][data-id='" + failed + "']")).isEmpty());
        browser.get(hub("/#/message/" + failed));
        waitUntil(b -> {
            b.navigate().refresh();
            return waitFor(By.cssSelector("[data-test=message-state]")).getText().equals("PROCESSED");
        });

        // Every other page.
        page("/#/actions?state=FAILED", By.cssSelector("[data-test=actions]"), "actions");
        long call = await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select coalesce(min(id), 0) from provider_action", Long.class), id -> id > 0);
        page("/#/action/" + call, By.cssSelector("[data-test=body]"), "provider-call");
        page("/#/stalled", By.cssSelector("[data-test=stalled]"), "stalled");
        page("/#/providers", By.cssSelector("[data-test=provider][data-provider=striga] [data-test=chart]"),
                "providers");
        page("/#/outbound", By.cssSelector("[data-test=endpoint-link]"), "outbound");
        click("endpoint-link");
        waitFor(By.cssSelector("[data-test=deliveries]"));
        drawn("deliveries");
        assertThat(browser.findElements(By.cssSelector("[data-test=delivery-row]"))).as("the sandbox receiver's deliveries")
                .isNotEmpty();

        // Erasure asks for the customer id, typed, before it erases.
        page("/#/erasure", By.id("erase-customer"), "erasure");
        browser.findElement(By.id("erase-customer")).sendKeys(customer.customerId());
        click("erase-start");
        WebElement typed = waitFor(By.id("erase-typed"));
        assertThat(text("erase-named")).isEqualTo(customer.customerId());
        assertThat(browser.findElement(By.cssSelector("[data-test=erase-confirm]")).isEnabled()).isFalse();
        typed.sendKeys(customer.customerId());
        assertThat(browser.findElement(By.cssSelector("[data-test=erase-confirm]")).isEnabled()).isTrue();
        screenshot("erasure-confirmation");
        click("erase-confirm");
        assertThat(waitForText(By.cssSelector("[data-test=erased]"))).contains(customer.customerId());

        // Signing out ends the session: the console is back at its sign-in.
        click("sign-out");
        waitFor(By.id("key"));
        browser.get(hub("/#/cases"));
        waitFor(By.id("key"));
        assertThat(browser.findElements(By.cssSelector("[data-test=case-row]"))).isEmpty();
    }

    /**
     * A Striga verdict sent before Striga's API knows the user: the hub asks that API first, gets a 404 and keeps the
     * webhook FAILED. Then the user starts their KYC at the simulator, and the API knows them: the cause is gone.
     */
    private long failedStrigaWebhook(String userId) throws Exception {
        String body = "{\"userId\":\"" + userId + "\",\"status\":\"APPROVED\"}";
        HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(URI.create(hub("/webhooks/striga/kyc")))
                .header("Content-Type", "application/json")
                .header("signature", HmacSignatures.hexHmacSha256(STRIGA_API_KEY,
                        body.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        long id = readId(accepted.body());
        await().atMost(Duration.ofSeconds(20)).until(() -> "FAILED".equals(jdbc.queryForObject(
                "select state from inbound_message where id = ?", String.class, id)));
        HttpResponse<String> started = HTTP.send(HttpRequest.newBuilder(
                        URI.create(hub("/sandbox/striga/users/" + userId + "/kyc?outcome=approve")))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select count(*) from kyc_case where provider = 'striga' and provider_ref = ?", Integer.class,
                userId) == 1);
        return id;
    }

    private static long readId(String accepted) throws IOException {
        return new ObjectMapper().readTree(accepted).get("id").asLong();
    }

    /** Opens the page, waits until it is drawn with its data, and checks it shows no error. */
    private void page(String path, By ready, String name) throws IOException {
        browser.get(hub(path));
        waitFor(ready);
        drawn(name);
    }

    /** Waits until the console has drawn the page and its first data, checks it shows no error, screenshots it. */
    private static void drawn(String name) throws IOException {
        waitFor(By.cssSelector("body[data-ready=true]"));
        assertThat(visibleText(By.id("error"))).as(name + " shows no error").isNull();
        screenshot(name);
    }

    private static String hub(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static void click(String test) {
        waitFor(By.cssSelector("[data-test=" + test + "]")).click();
    }

    private static String text(String test) {
        return browser.findElement(By.cssSelector("[data-test=" + test + "]")).getText();
    }

    /** The element's text once it is shown and says something; null (keep waiting) before. */
    private static String visibleText(By locator) {
        List<WebElement> found = browser.findElements(locator);
        if (found.isEmpty() || !found.get(0).isDisplayed() || found.get(0).getText().isBlank()) {
            return null;
        }
        return found.get(0).getText();
    }

    private static String waitForText(By locator) {
        return waitUntil(b -> visibleText(locator));
    }

    private static WebElement waitFor(By locator) {
        return waitUntil(b -> {
            List<WebElement> found = b.findElements(locator);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    private static <T> T waitUntil(Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class)
                .until(condition::apply);
    }

    /** Saves the browser's view as {@code NN-name.png}, numbered in the order the scenario meets the pages. */
    private static void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve("%02d-%s.png".formatted(++screenshots, name)),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
