package com.kychub.scheduling;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.kychub.support.ExtraHub;
import com.kychub.support.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.listeners.JobListenerSupport;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two hubs on one database: one Quartz cluster, where every firing of Connect Financial's poller runs on exactly one of
 * them; and two continuous WIDTH pollers, which share the executions out through the claim (SKIP LOCKED): both poll,
 * no execution is polled twice within its poll period nor a node submitted twice, every execution keeps its cadence,
 * and when one hub stops the other polls every execution on its own. Two real application contexts (one Camel name,
 * so one cluster) on a database of this test's own, one WIDTH stub that tells the hubs apart by their API keys; each
 * hub's firings are read off its own Quartz scheduler.
 */
class QuartzClusterIntegrationTest {

    private static final String API_KEY = "cluster-api-key";
    private static final int EXECUTIONS = 6;
    private static final long POLL_EVERY_MILLIS = 1000;
    private static final long TICK_MILLIS = 200;
    private static final long CHECKIN_MILLIS = 700;
    private static final String CONNECTFI_TRIGGER = "connectfi.poll-status";

    /** One run of a poller's Quartz job: which hub ran it, and the tick it was scheduled for. */
    record Firing(String hub, String trigger, Instant scheduledFor) {
    }

    /** This run's ids: a previous run's executions may still be polled until the store is emptied. */
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final WireMockServer width = new WireMockServer(
            WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    private final List<ExtraHub> hubs = new ArrayList<>();
    private final List<Firing> firings = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        hubs.forEach(ExtraHub::close);
        width.stop();
    }

    @Test
    void eachFiringRunsOnOneHubAndTheOtherTakesOverWhenOneStops() throws Exception {
        width.start();
        // Whatever a previous run left polling (until the store is emptied) gets an answer, and is told apart from
        // this run's executions by their ids.
        width.stubFor(WireMock.post(urlPathEqualTo("/api/workflow.execution.status")).atPriority(10)
                .willReturn(okJson("{\"status\":\"RUNNING\"}")));
        width.stubFor(WireMock.post(urlPathEqualTo("/api/workflow.applicant.register")).willReturn(okJson("{}")));
        width.stubFor(WireMock.post(urlPathEqualTo("/api/workflow.kyc.particular.data")).willReturn(okJson("{}")));
        for (int i = 1; i <= EXECUTIONS; i++) {
            width.stubFor(WireMock.post(urlPathEqualTo("/api/workflow.apply.submit"))
                    .withRequestBody(matchingJsonPath("$.data.customerId", equalTo(customer(i))))
                    .willReturn(okJson("{\"executionId\":\"" + execution(i) + "\",\"status\":\"CREATED\"}")));
            // WIDTH keeps each execution waiting on the particulars node: polled on and on, submitted once.
            width.stubFor(WireMock.post(urlPathEqualTo("/api/workflow.execution.status"))
                    .withRequestBody(matchingJsonPath("$.executionId", equalTo(execution(i))))
                    .willReturn(okJson(("{\"executionId\":\"%s\",\"status\":\"WAITING\",\"currentNode\":{\"nodeId\":"
                            + "\"n-part\",\"nodeType\":\"flow_action_individual_particular\",\"callbackKey\":"
                            + "\"kyc:n-part:%s\"}}").formatted(execution(i), execution(i)))));
        }

        ExtraHub a = start(hub("a"));
        Store.reset(a.jdbc());
        // The second hub joins the first one's database (an embedded server belongs to the first).
        ExtraHub b = start(hub("b").jdbcUrl(a.jdbcUrl()));
        listen(a, "a");
        listen(b, "b");

        for (int i = 1; i <= EXECUTIONS; i++) {
            ExtraHub hub = i % 2 == 0 ? a : b;
            String customer = customer(i);
            assertThat(hub.apiPost("/api/v1/customers", "{\"customerId\":\"" + customer + "\"}").statusCode())
                    .isEqualTo(201);
            assertThat(hub.apiPost("/api/v1/customers/" + customer + "/data/particulars",
                    "{\"name\":\"Ada\",\"dateOfBirth\":\"1990-01-15\",\"nationality\":\"SG\"}").statusCode())
                    .isEqualTo(201);
            assertThat(hub.apiPost("/api/v1/customers/" + customer + "/onboardings", "{\"provider\":\"width\"}")
                    .statusCode()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> requests("workflow.kyc.particular.data").size() == EXECUTIONS
                && everyExecutionPolledAfter(Instant.EPOCH, 3));
        // Which member takes Connect Financial's one trigger is Quartz's race, not a balance: either may fire them all.
        assertThat(firings).as("the cluster fires").isNotEmpty();
        // Both hubs poll WIDTH: each claims what is due when it has a free poll thread.
        Instant bothSince = Instant.now();
        await().atMost(Duration.ofSeconds(20)).until(() -> everyExecutionPolledAfter(bothSince, 3));
        assertThat(pollsBy("a", bothSince)).as("polls by hub a while both run").isPositive();
        assertThat(pollsBy("b", bothSince)).as("polls by hub b while both run").isPositive();
        assertThat(a.jdbc().queryForList("select checkin_interval from qrtz_scheduler_state "
                + "where sched_name = 'kyc-hub-cluster'", Long.class)).as("two members of one cluster, checking in "
                + "every kyc.cluster.checkin-interval").containsExactly(CHECKIN_MILLIS, CHECKIN_MILLIS);

        // The second hub stops, and the first carries on alone. (The second rather than the first: Quartz looks up a
        // job store's connections by name in a JVM-wide registry, and a store registered under the scheduler name
        // would leave the first hub on the second's closed pool.)
        b.close();
        hubs.remove(b);
        Instant stoppedAt = Instant.now();
        await().atMost(Duration.ofSeconds(20)).until(() -> everyExecutionPolledAfter(stoppedAt, 3));

        assertThat(pollsBy("b", stoppedAt.plusMillis(POLL_EVERY_MILLIS))).as("polls by the stopped hub").isZero();

        // Every firing ran on one hub: no tick twice, and one tick per tick-interval at most (two schedulers of
        // their own would each fire every tick).
        Map<String, List<Firing>> byTick = firings.stream()
                .collect(Collectors.groupingBy(f -> f.trigger() + "@" + f.scheduledFor()));
        assertThat(byTick.values()).allSatisfy(same -> assertThat(same).as("firings of one tick").hasSize(1));
        List<Instant> connectfiTicks = firings.stream().filter(f -> f.trigger().equals(CONNECTFI_TRIGGER))
                .map(Firing::scheduledFor).sorted().toList();
        long span = Duration.between(connectfiTicks.get(0), connectfiTicks.get(connectfiTicks.size() - 1)).toMillis();
        assertThat(connectfiTicks.size()).isLessThanOrEqualTo((int) (span / TICK_MILLIS) + 1);
        assertThat(firings.stream().filter(f -> f.scheduledFor().isAfter(stoppedAt)).map(Firing::trigger))
                .as("the remaining hub runs Connect Financial's poller").contains(CONNECTFI_TRIGGER);
        assertThat(firings.stream().filter(f -> f.scheduledFor().isAfter(stoppedAt)).map(Firing::hub))
                .containsOnly("a");

        // No node submitted twice, and no execution polled twice within its poll period: no two polls of one
        // execution closer than a quarter period (a call leaves some time after its claim, more on a busy machine).
        // Once a submission's answer is processed the hub asks for the next status at once: the first poll after
        // that (or the second, when a regular one slipped in while the answer was being committed) is let be.
        JdbcTemplate jdbc = a.jdbc();
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("select count(*) from inbound_message "
                + "where provider = 'width' and message_type = 'submitted' and processed_at is not null "
                + "and subject like ?", Integer.class, "exec-cluster-" + run + "-%") == EXECUTIONS);
        for (int i = 1; i <= EXECUTIONS; i++) {
            assertThat(requests("workflow.kyc.particular.data", execution(i))).hasSize(1);
            Instant answered = jdbc.queryForObject("select processed_at from inbound_message "
                    + "where provider = 'width' and message_type = 'submitted' and subject = ?", Timestamp.class,
                    execution(i)).toInstant();
            List<Instant> polls = polls(execution(i));
            List<Instant> letBe = polls.stream().filter(at -> at.isAfter(answered)).limit(2).toList();
            int regular = 0;
            for (int p = 1; p < polls.size(); p++) {
                if (!letBe.contains(polls.get(p))) {
                    regular++;
                    assertThat(Duration.between(polls.get(p - 1), polls.get(p)).toMillis())
                            .as("time between two polls of " + execution(i)).isGreaterThan(POLL_EVERY_MILLIS / 4);
                }
            }
            // The cadence: about one regular poll per poll period over the execution's life, by either hub (not
            // much more: none twice; not much less: claimed again soon after it is due, also across the stop).
            double perPeriod = regular * (double) POLL_EVERY_MILLIS
                    / Duration.between(polls.get(0), polls.get(polls.size() - 1)).toMillis();
            assertThat(perPeriod).as("polls of " + execution(i) + " per poll period").isBetween(0.6, 1.05);
        }
        for (int i = 1; i <= EXECUTIONS; i++) {
            assertThat(width.findAll(postRequestedFor(urlPathEqualTo("/api/workflow.applicant.register"))
                    .withRequestBody(matchingJsonPath("$.customerId", equalTo(customer(i)))))).hasSize(1);
            assertThat(width.findAll(postRequestedFor(urlPathEqualTo("/api/workflow.apply.submit"))
                    .withRequestBody(matchingJsonPath("$.data.customerId", equalTo(customer(i)))))).hasSize(1);
        }
    }

    private String customer(int i) {
        return "c-cluster-" + run + "-" + i;
    }

    private String execution(int i) {
        return "exec-cluster-" + run + "-" + i;
    }

    private void listen(ExtraHub hub, String name) throws SchedulerException {
        hub.bean(Scheduler.class).getListenerManager().addJobListener(new JobListenerSupport() {
            @Override
            public String getName() {
                return "firings-" + name;
            }

            @Override
            public void jobToBeExecuted(JobExecutionContext context) {
                firings.add(new Firing(name, context.getTrigger().getKey().toString(),
                        context.getScheduledFireTime().toInstant()));
            }
        });
    }

    private boolean everyExecutionPolledAfter(Instant since, int times) {
        for (int i = 1; i <= EXECUTIONS; i++) {
            if (polls(execution(i)).stream().filter(at -> at.isAfter(since)).count() < times) {
                return false;
            }
        }
        return true;
    }

    /** The status polls made by one hub (its own WIDTH API key) since then. */
    private long pollsBy(String hub, Instant since) {
        return requests("workflow.execution.status").stream()
                .filter(r -> r.getUrl().contains("apiKey=" + widthKey(hub)))
                .filter(r -> r.getLoggedDate().toInstant().isAfter(since))
                .count();
    }

    private static String widthKey(String hub) {
        return "cluster-width-key-" + hub;
    }

    private List<Instant> polls(String executionId) {
        return requests("workflow.execution.status", executionId).stream()
                .map(r -> r.getLoggedDate().toInstant()).sorted().toList();
    }

    private List<LoggedRequest> requests(String method) {
        return width.findAll(postRequestedFor(urlPathEqualTo("/api/" + method)));
    }

    private List<LoggedRequest> requests(String method, String executionId) {
        return width.findAll(postRequestedFor(urlPathEqualTo("/api/" + method))
                .withRequestBody(matchingJsonPath("$.executionId", equalTo(executionId))));
    }

    /**
     * A hub of this test's cluster: one Camel name, so one Quartz cluster (the scheduler name follows it); a WIDTH API
     * key of its own, which the stub sees in every request's URL.
     */
    private ExtraHub.Builder hub(String name) {
        return ExtraHub.builder()
                .name("kyc-hub-cluster")
                .database("cluster", 54332)
                .apiKey(API_KEY)
                .property("kyc.inbox.poll-period", "100ms")
                .property("kyc.providers.width.base-url", width.baseUrl())
                .property("kyc.providers.width.api-key", widthKey(name))
                .property("kyc.providers.width.api-secret", "cluster-width-secret")
                .property("kyc.providers.width.poll-every", POLL_EVERY_MILLIS + "ms")
                .property("kyc.providers.width.poll-tick-millis", TICK_MILLIS)
                .property("kyc.providers.width.requests-per-second", 1000)
                .property("kyc.providers.connectfi.poll-tick-millis", TICK_MILLIS)
                .property("kyc.cluster.checkin-interval", CHECKIN_MILLIS + "ms");
    }

    private ExtraHub start(ExtraHub.Builder hub) {
        ExtraHub started = hub.start();
        hubs.add(started);
        return started;
    }
}
