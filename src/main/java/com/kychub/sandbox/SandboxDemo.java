package com.kychub.sandbox;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kychub.KycProperties;
import com.kychub.canonical.CaseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The demo ({@code kyc.demo.enabled=true}, with the sandbox on): once the hub is up it onboards a handful of synthetic
 * customers through all five sandbox providers: through the hub API for Connect Financial, Ondato and WIDTH (for
 * Ondato the customer then "opens" the IDV URL the hub hands out), and by having the Striga and ARGOS simulators send
 * their webhook sequences. Ids carry a run suffix so that a second run on the same database starts afresh.
 * <p>
 * WIDTH customers hand the hub their data as a fintech would, when the hub asks for it: once their case is
 * ACTION_REQUIRED with PROVIDE_DOCUMENT (the OCR node) the identity document, with PROVIDE_PERSONAL_DATA (the
 * particulars node) the particulars, through {@code POST /api/v1/customers/{id}/data/{kind}}. The Connect Financial
 * {@code expire} customer's SDK link expires and the hub reruns the KYC: the expected status is the new onboarding's
 * (APPROVED), the first onboarding's case ending CANCELLED. Every customer's personal data is
 * {@link SandboxPerson}'s.
 */
@Component
@ConditionalOnProperty(name = {"kyc.sandbox.enabled", "kyc.demo.enabled"}, havingValue = "true")
public class SandboxDemo {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxDemo.class);

    /** A demo customer and the canonical status their provider's sandbox leads them to. */
    public record DemoCustomer(String provider, String customerId, CaseStatus expected) {
    }

    private final Sandbox sandbox;
    private final SandboxStriga striga;
    private final SandboxArgos argos;
    private final List<String> apiKeys;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    /** Each provider's customers, {@code demo-<provider or cf>-<outcome word>-<run>}: the word decides their fate. */
    private final List<DemoCustomer> customers = Stream.of(
            customers("connectfi", "cf", "approve", "reject-final", "error", "expire"),
            customers("ondato", "ondato", "approve", "reject"),
            customers("width", "width", "approve", "reject", "expire"),
            customers("striga", "striga", "approve", "reject", "reject-final"),
            customers("argos", "argos", "approve", "reject"))
            .flatMap(List::stream).toList();

    public SandboxDemo(Sandbox sandbox, SandboxStriga striga, SandboxArgos argos, KycProperties properties) {
        this.sandbox = sandbox;
        this.striga = striga;
        this.argos = argos;
        this.apiKeys = properties.api().keys();
    }

    private List<DemoCustomer> customers(String provider, String idPart, String... outcomeWords) {
        return Arrays.stream(outcomeWords).map(word -> new DemoCustomer(provider,
                "demo-" + idPart + "-" + word + "-" + run, expected(provider, Outcome.of(word)))).toList();
    }

    /** The status the outcome leads to; Connect Financial's expired SDK link is rerun by the hub, and approved. */
    private static CaseStatus expected(String provider, Outcome outcome) {
        return switch (outcome) {
            case APPROVE -> CaseStatus.APPROVED;
            case REJECT -> CaseStatus.REJECTED;
            case REJECT_FINAL -> CaseStatus.REJECTED_FINAL;
            case ERROR -> CaseStatus.ERROR;
            case EXPIRE -> provider.equals("connectfi") ? CaseStatus.APPROVED : CaseStatus.EXPIRED;
        };
    }

    public List<DemoCustomer> customers() {
        return customers;
    }

    /** Every personal value the demo puts through the hub: its customers' synthetic data ({@link SandboxPerson}). */
    public List<String> personalValues() {
        return customers.stream().flatMap(customer -> SandboxPerson.of(customer.customerId()).values().stream())
                .distinct().toList();
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        if (apiKeys.isEmpty()) {
            LOG.warn("Demo not started: it uses the hub API, and kyc.api.keys is empty");
            return;
        }
        Thread thread = new Thread(this::onboardAll, "sandbox-demo");
        thread.setDaemon(true);
        thread.start();
    }

    private void onboardAll() {
        LOG.info("Demo: onboarding {} synthetic customers through the sandbox providers; follow one with "
                + "curl -H 'Authorization: Bearer <key>' {}/api/v1/customers/{}/kyc", customers.size(),
                sandbox.hubUrl(), customers.get(0).customerId());
        List<DemoCustomer> ondato = new ArrayList<>();
        for (DemoCustomer customer : customers) {
            try {
                Outcome outcome = Outcome.of(customer.customerId());
                switch (customer.provider()) {
                    case "striga" -> striga.play(customer.customerId(), outcome);
                    case "argos" -> argos.play(customer.customerId(), outcome);
                    default -> {
                        onboard(customer);
                        if (customer.provider().equals("ondato")) {
                            ondato.add(customer);
                        }
                        if (customer.provider().equals("width")) {
                            Thread width = new Thread(() -> handOverWidthData(customer), "sandbox-demo-width");
                            width.setDaemon(true);
                            width.start();
                        }
                    }
                }
                LOG.info("Demo: {} at {} (expected {})", customer.customerId(), customer.provider(),
                        customer.expected());
            } catch (Exception e) {
                LOG.warn("Demo: {} at {} could not start: {}", customer.customerId(), customer.provider(),
                        e.getMessage());
            }
        }
        for (DemoCustomer customer : ondato) {
            openIdvUrl(customer);
        }
    }

    private void onboard(DemoCustomer customer) throws Exception {
        String id = customer.customerId();
        SandboxPerson person = SandboxPerson.of(id);
        ObjectNode body = sandbox.jsonObject().put("customerId", id).put("email", person.email());
        ObjectNode kyc = body.putObject("kyc").put("firstName", person.firstName()).put("lastName", person.lastName())
                .put("dateOfBirth", person.dateOfBirth());
        kyc.putObject("mainAddress").put("street1", person.street()).put("cityCounty", person.city())
                .put("stateRegion", "NY").put("zip", "10001").put("countryCode", "US");
        kyc.put("nationality", "US").put("occupation", "11");
        send("POST", "/api/v1/customers", body.toString());
        send("POST", "/api/v1/customers/" + id + "/onboardings", "{\"provider\":\"" + customer.provider() + "\"}");
    }

    /** The customer goes to the IDV URL the hub gives out, once Ondato has assigned the verification. */
    private void openIdvUrl(DemoCustomer customer) {
        try {
            Optional<JsonNode> assigned = awaitCase(customer, kycCase -> !idvUrl(kycCase).isEmpty(), 60);
            if (assigned.isEmpty()) {
                LOG.warn("Demo: {} got no IDV URL within 60 s", customer.customerId());
                return;
            }
            http.send(HttpRequest.newBuilder(URI.create(idvUrl(assigned.get()) + "&outcome=" + customer.customerId()))
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Demo: {} could not open the IDV URL: {}", customer.customerId(), e.getMessage());
        }
    }

    /** The WIDTH customer's synthetic data, each kind handed over when the hub asks for it. */
    private void handOverWidthData(DemoCustomer customer) {
        String id = customer.customerId();
        try {
            awaitNextAction(customer, "PROVIDE_DOCUMENT");
            send("POST", "/api/v1/customers/" + id + "/data/identity-document", """
                    {"frontImage":"s3://sandbox/%s/front.jpg","backImage":"s3://sandbox/%s/back.jpg",
                     "documentType":"INTERNATIONAL_PASSPORT","region":"US"}""".formatted(id, id));
            awaitNextAction(customer, "PROVIDE_PERSONAL_DATA");
            SandboxPerson person = SandboxPerson.of(id);
            send("POST", "/api/v1/customers/" + id + "/data/particulars", sandbox.jsonObject()
                    .put("name", person.fullName()).put("dateOfBirth", person.dateOfBirth()).put("nationality", "US")
                    .put("sex", "MALE").put("countryOfResidence", "US").put("address", person.address()).toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Demo: {} could not hand over its data: {}", id, e.getMessage());
        }
    }

    private static String idvUrl(JsonNode kycCase) {
        return kycCase.at("/providerDetails/idvUrl").asText("");
    }

    private void awaitNextAction(DemoCustomer customer, String nextAction) throws Exception {
        awaitCase(customer, kycCase -> nextAction.equals(kycCase.path("nextAction").asText()), 120)
                .orElseThrow(() -> new IllegalStateException("the hub asked for no " + nextAction + " within 120 s"));
    }

    /** Polls the customer's KYC through the hub API until one of their cases is as wanted, for so many seconds. */
    private Optional<JsonNode> awaitCase(DemoCustomer customer, Predicate<JsonNode> wanted, long seconds)
            throws Exception {
        Instant deadline = Instant.now().plusSeconds(seconds);
        while (Instant.now().isBefore(deadline)) {
            JsonNode kyc = sandbox.json()
                    .readTree(send("GET", "/api/v1/customers/" + customer.customerId() + "/kyc", null));
            for (JsonNode kycCase : kyc.path("cases")) {
                if (wanted.test(kycCase)) {
                    return Optional.of(kycCase);
                }
            }
            Thread.sleep(250);
        }
        return Optional.empty();
    }

    private String send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.hubUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKeys.get(0))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + answer.statusCode());
        }
        return answer.body();
    }
}
