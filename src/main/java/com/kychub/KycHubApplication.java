package com.kychub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class KycHubApplication {
    public static void main(String[] args) {
        SpringApplication.run(KycHubApplication.class, args);
    }
}
