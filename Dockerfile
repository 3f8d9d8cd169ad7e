# Runtime image for boot-operator: build the jar first (mvn -DskipTests package), then
#   docker build -t <registry>/boot-operator-java:<tag> .
FROM eclipse-temurin:17-jre
COPY target/boot-operator.jar /opt/boot-operator/boot-operator.jar
# upstream's manifests run "/manager <flags>": the same flags work here (see README, Command line)
COPY --chmod=755 deploy/manager /manager
USER 65532:65532
EXPOSE 8080 8081 8082 8083
ENTRYPOINT ["java", "-jar", "/opt/boot-operator/boot-operator.jar"]
