package com.kychub.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Where the webhook doors are served is chosen from three values, read as Spring Boot reads an enum; anything else
 * stops the start. The doors' own port is opened for the same values the setting binds to.
 */
class WebhookDoorsPropertiesTest {

    @EnableConfigurationProperties(WebhookDoorsProperties.class)
    static class Doors {
    }

    private final ApplicationContextRunner hub = new ApplicationContextRunner().withUserConfiguration(Doors.class);

    @Test
    void bothPortsOnTheirOwnPort8081ByDefault() {
        hub.run(context -> {
            WebhookDoorsProperties doors = context.getBean(WebhookDoorsProperties.class);
            assertThat(doors.engine()).isEqualTo(WebhookDoorsProperties.Engine.BOTH);
            assertThat(doors.vertxPort()).isEqualTo(8081);
        });
    }

    @Test
    void theEngineIsReadAsOperatorsWriteIt() {
        hub.withPropertyValues("kyc.webhooks.engine=Servlet").run(context -> assertThat(
                context.getBean(WebhookDoorsProperties.class).engine()).isEqualTo(WebhookDoorsProperties.Engine.SERVLET));
    }

    @Test
    void aMisspeltEngineStopsTheStartAndSaysWhichSetting() {
        hub.withPropertyValues("kyc.webhooks.engine=tomcat").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("kyc.webhooks.engine");
        });
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(VertxWebhookDoors.OwnPort.class)
    static class OwnPortOpened {
    }

    @Test
    void theOwnPortIsOpenedUnlessTheDoorsAreOnTheHubsPortOnly() {
        ApplicationContextRunner doors = new ApplicationContextRunner().withUserConfiguration(OwnPortOpened.class);
        doors.run(context -> assertThat(context).hasSingleBean(OwnPortOpened.class));
        doors.withPropertyValues("kyc.webhooks.engine=Vert.x")
                .run(context -> assertThat(context).hasSingleBean(OwnPortOpened.class));
        doors.withPropertyValues("kyc.webhooks.engine=both")
                .run(context -> assertThat(context).hasSingleBean(OwnPortOpened.class));
        doors.withPropertyValues("kyc.webhooks.engine=SERVLET")
                .run(context -> assertThat(context).doesNotHaveBean(OwnPortOpened.class));
        doors.withPropertyValues("kyc.webhooks.engine=tomcat").run(context -> assertThat(context).hasFailed());
    }
}
