package com.kychub.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import com.kychub.KycProperties;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class ReconcileGateTest {

    @Test
    void aProviderWithoutItsStatusApiHasNoReconciliationAndTheHubSaysSoOnce(CapturedOutput output) throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:striga").routeId("striga-reconcile").log("never");
                    from("direct:argos").routeId("argos-reconcile").log("sweeps");
                    from("direct:ondato").routeId("ondato-reconcile").log("never");
                }
            });
            KycProperties.Providers providers = new KycProperties.Providers(
                    new KycProperties.Striga("key", true, "https://striga.example/api/v1", null, 10, 30, 5, 50, null),
                    null,
                    new KycProperties.Argos(null, "none", "key", null, "https://argos.example", 10, 30, 5, 50, null),
                    new KycProperties.Ondato(null, null, null, null,
                            new KycProperties.OndatoApiAuth("api-key", "X-Api-Key", " ", null, null, null, null),
                            null, null, 10, 30, 5, 50, null),
                    null);
            new ReconcileGate(new KycProperties(null, null, null, providers)).beforeApplicationStart(camel);
            camel.start();

            assertThat(camel.getRoute("striga-reconcile")).isNull();
            assertThat(camel.getRoute("ondato-reconcile")).isNull();
            assertThat(camel.getRoute("argos-reconcile")).isNotNull();
            assertThat(output.getAll()).containsOnlyOnce("striga: its status API is not configured "
                    + "(KYC_STRIGA_BASE_URL, KYC_STRIGA_API_KEY and KYC_STRIGA_API_SECRET): the hub works from its "
                    + "webhooks alone");
            assertThat(output.getAll()).containsOnlyOnce("ondato: its status API is not configured");
            assertThat(output.getAll()).containsOnlyOnce("argos: missed webhooks are repaired");
        }
    }
}
