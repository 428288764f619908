package com.kychub.canonical;

import java.util.Map;
import java.util.Objects;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jdbc.JdbcConstants;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;

/**
 * {@code canonical-claim-due}: the cases of one provider that are due for a look at the provider's status API, for
 * the pollers ({@code poll-due-cases} in {@code routes/templates.camel.yaml}, {@code width-poll-executions}), and
 * {@code canonical-next-due}: how long until the next is ({@link #NEXT_DUE}); {@code canonical-claim-quiet}: the
 * ones due for reconciliation ({@code reconcile-sweep}, {@link #CLAIM_QUIET}). One statement, run through camel-jdbc:
 * it moves each due case's next look one period on and answers the cases it moved, so a case is looked at once a
 * period however many hub instances poll (a case another instance is claiming is skipped: SKIP LOCKED).
 * <p>
 * In: the variables {@code provider}, {@code pollEvery} (a duration as Spring Boot reads one: {@code 3s},
 * {@code PT3S}) and {@code pollBatch} (at most that many cases). Out: the claimed cases, each a map of {@code id},
 * {@code customer_id}, {@code provider_ref}, {@code provider_details} (JSON text) and {@code inputs_changed_at} (when
 * what the case's next step depends on, beside the provider's answer, last changed; null when nothing did since the
 * case began: {@link CanonicalStore#pollSoonForCustomer}, {@link CanonicalStore#inputsChanged}).
 */
@Component
public class DueCases extends RouteBuilder {

    static final String CLAIM = """
            update kyc_case set next_poll_at = now() + :?everyMillis * interval '1 millisecond'
            where id in (select id from kyc_case
                         where provider = :?provider and next_poll_at <= now()
                         order by next_poll_at limit :?batch for update skip locked)
            returning id, customer_id, provider_ref, provider_details::text as provider_details, inputs_changed_at""";

    /**
     * How long until the provider's earliest next look, in milliseconds (0 or less when one is due already; null when
     * it has no case to look at): what a continuous poller that found nothing due waits for.
     */
    static final String NEXT_DUE = """
            select ceil(extract(epoch from min(next_poll_at) - clock_timestamp()) * 1000)::bigint
            from kyc_case where provider = :?provider and next_poll_at is not null""";

    /**
     * The provider's quiet cases: not heard of (no webhook, no pulled answer) and not pulled for {@code after}, and
     * either still open or finished ({@link CaseStatus#isFinished}) within {@code recent} (a verdict the provider may
     * still revise, a rejected customer who tries again). Claiming one stamps its {@code reconciled_at}, so it is
     * pulled once per {@code after}, by one instance. The two kinds are claimed apart (up to {@code batch} each), each
     * through an index of its own (V12), so that the many cases finished long ago are never read.
     */
    static final String CLAIM_QUIET = """
            with open_due as (
                     select id from kyc_case
                     where provider = :?provider
                       and status not in ('APPROVED', 'REJECTED', 'REJECTED_FINAL', 'EXPIRED', 'CANCELLED')
                       and greatest(heard_at, reconciled_at) < now() - :?afterMillis * interval '1 millisecond'
                     order by greatest(heard_at, reconciled_at) limit :?batch for update skip locked),
                 recently_finished_due as (
                     select id from kyc_case
                     where provider = :?provider
                       and status in ('APPROVED', 'REJECTED', 'REJECTED_FINAL', 'EXPIRED', 'CANCELLED')
                       and updated_at > now() - :?recentMillis * interval '1 millisecond'
                       and greatest(heard_at, reconciled_at) < now() - :?afterMillis * interval '1 millisecond'
                     order by updated_at limit :?batch for update skip locked)
            update kyc_case set reconciled_at = now()
            where id in (select id from open_due union all select id from recently_finished_due)
            returning id, customer_id, provider_ref, provider_details::text as provider_details""";


    @Override
    public void configure() {
        from("direct:canonical-claim-due").routeId("canonical-claim-due")
                .process(DueCases::bindPollParameters)
                .setBody(constant(CLAIM))
                .to("jdbc:dataSource?useHeadersAsParameters=true");

        // In: the variable provider. Out: the milliseconds until its earliest next look (NEXT_DUE), or null.
        from("direct:canonical-next-due").routeId("canonical-next-due")
                .process(exchange -> {
                    exchange.getIn().removeHeaders("*");
                    exchange.getIn().setHeader(JdbcConstants.JDBC_PARAMETERS,
                            Map.of("provider", required(exchange, "provider", String.class)));
                })
                .setBody(constant(NEXT_DUE))
                .to("jdbc:dataSource?useHeadersAsParameters=true&outputType=SelectOne");

        // In: the variables provider, reconcileAfter, reconcileRecent (durations) and reconcileBatch.
        from("direct:canonical-claim-quiet").routeId("canonical-claim-quiet")
                .process(DueCases::bindReconcileParameters)
                .setBody(constant(CLAIM_QUIET))
                .to("jdbc:dataSource?useHeadersAsParameters=true");
    }

    /** The statement's parameters come from the caller's variables only: no header of anyone else binds into it. */
    private static void bindPollParameters(Exchange exchange) {
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setHeader(JdbcConstants.JDBC_PARAMETERS, Map.of(
                "provider", required(exchange, "provider", String.class),
                "everyMillis", millis(exchange, "pollEvery"),
                "batch", required(exchange, "pollBatch", Integer.class)));
    }

    private static void bindReconcileParameters(Exchange exchange) {
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setHeader(JdbcConstants.JDBC_PARAMETERS, Map.of(
                "provider", required(exchange, "provider", String.class),
                "afterMillis", millis(exchange, "reconcileAfter"),
                "recentMillis", millis(exchange, "reconcileRecent"),
                "batch", required(exchange, "reconcileBatch", Integer.class)));
    }

    private static long millis(Exchange exchange, String variable) {
        return DurationStyle.detectAndParse(required(exchange, variable, String.class)).toMillis();
    }

    private static <T> T required(Exchange exchange, String variable, Class<T> type) {
        return Objects.requireNonNull(exchange.getVariable(variable, type), variable);
    }
}
