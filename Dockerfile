# The hub as a container: build with Maven, run on a JRE.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY routes routes
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /app
RUN useradd --system --uid 10001 kychub
COPY --from=build /src/target/kyc-hub-*.jar /app/kyc-hub.jar
COPY config /app/config
USER kychub
# The API, console and actuator; the webhook doors' own port.
EXPOSE 8080 8081
ENTRYPOINT ["java", "-jar", "/app/kyc-hub.jar"]
