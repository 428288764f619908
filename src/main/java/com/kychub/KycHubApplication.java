package com.kychub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.amqp.RabbitAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

// RabbitMQ is an option of outbound events, configured by outbound.RabbitConfiguration only when a broker URI is set:
// Boot's own would connect to localhost and report a rabbit health for every hub.
@SpringBootApplication(exclude = RabbitAutoConfiguration.class)
@ConfigurationPropertiesScan
public class KycHubApplication {
    public static void main(String[] args) {
        SpringApplication.run(KycHubApplication.class, args);
    }
}
