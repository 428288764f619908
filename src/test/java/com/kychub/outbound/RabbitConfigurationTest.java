package com.kychub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The broker URI as the hub shows it (logs, the endpoint row) and refuses it: never with its password. */
class RabbitConfigurationTest {

    @Test
    void theUriIsShownWithoutCredentialsNorParameters() {
        assertThat(RabbitConfiguration.withoutCredentials("amqp://kyc:s3cr%40t@rabbit.internal:5672/kyc?heartbeat=10"))
                .isEqualTo("amqp://rabbit.internal:5672/kyc");
        assertThat(RabbitConfiguration.withoutCredentials("amqps://kyc:pw@[::1]/%2F")).isEqualTo("amqps://[::1]/%2F");
        assertThat(RabbitConfiguration.withoutCredentials("amqp://guest:guest@127.0.0.1:5672"))
                .isEqualTo("amqp://127.0.0.1:5672/");
    }

    @Test
    void aUriThatIsNotAnAmqpOneIsRefusedWithoutBeingQuoted() {
        for (String bad : new String[] {"http://kyc:hunter2@rabbit:5672/", "amqp://kyc:hunter2@/", "kyc:hunter2 @rabbit",
                "amqp://kyc:hunter2@rab bit:5672/"}) {
            assertThatThrownBy(() -> RabbitConfiguration.withoutCredentials(bad))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("kyc.events.rabbitmq-uri")
                    .hasMessageNotContaining("hunter2")
                    .hasNoCause();
        }
    }
}
