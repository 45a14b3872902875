# One image for every component: `docker run IMAGE scheduler|executor|ingest|api|standalone`.
# Build the jar first (mvn -B -DskipTests package -pl cli -am), then: docker build -t kontroler .
FROM eclipse-temurin:17-jre
RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin kontroler \
    && mkdir -p /var/lib/kontroler && chown 10001 /var/lib/kontroler
COPY cli/target/kontroler.jar /opt/kontroler/kontroler.jar
USER 10001
WORKDIR /var/lib/kontroler
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-jar", "/opt/kontroler/kontroler.jar"]
CMD ["--help"]
