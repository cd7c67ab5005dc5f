# syntax=docker/dockerfile:1
# The operator image: built from source, a Java runtime trimmed to the modules the operator uses
# (hack/jlink.sh, the same script that builds operator/target/jre locally), non-root, no shell.
#   docker build -t runtime-policy-operator:0.1.0 .

# 1. Build: the thin operator jar and its lib/ classpath.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY e2e/pom.xml e2e/
COPY bench/pom.xml bench/
COPY test-support/ test-support/
COPY crd/ crd/
COPY operator/ operator/
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -pl operator -am package -DskipTests -Dspotless.check.skip=true

# 2. jlink: jdeps finds the modules, jlink links them (Temurin 17 ships jmods/).
FROM build AS jlink
COPY hack/jlink.sh hack/
RUN bash hack/jlink.sh

# 3. Run: distroless (glibc, zlib, CA certificates; no shell, no package manager), user 65532,
#    the UID the chart runs as. The root filesystem can be read-only: the JVM writes only to /tmp.
FROM gcr.io/distroless/java-base-debian12:nonroot
LABEL org.opencontainers.image.title="runtime-policy-operator" \
      org.opencontainers.image.description="Makes JVMs see the CPU Kubernetes gives them" \
      org.opencontainers.image.version="0.1.0"
COPY --from=jlink /src/operator/target/jre /opt/runtime-policy/jre
COPY --from=build /src/operator/target/lib /opt/runtime-policy/lib
COPY --from=build /src/operator/target/runtime-policy-operator.jar /opt/runtime-policy/
COPY --from=build /src/operator/src/main/cds/operator.classlist /opt/runtime-policy/cds/
# 4. The operator's own classes archived (AppCDS) from the committed class list, for this runtime
#    and these very files: dumped here, where the paths are the entrypoint's (hack/jlink.sh does
#    the same for operator/target). Exec form: the image has no shell. Root only to write /opt.
USER 0:0
RUN ["/opt/runtime-policy/jre/bin/java", "-Xshare:dump", \
     "-XX:SharedClassListFile=/opt/runtime-policy/cds/operator.classlist", \
     "-XX:SharedArchiveFile=/opt/runtime-policy/runtime-policy-operator.jsa", \
     "-jar", "/opt/runtime-policy/runtime-policy-operator.jar"]
USER 65532:65532
EXPOSE 8080 9443
ENTRYPOINT ["/opt/runtime-policy/jre/bin/java", \
            "-XX:SharedArchiveFile=/opt/runtime-policy/runtime-policy-operator.jsa", \
            "-jar", "/opt/runtime-policy/runtime-policy-operator.jar"]
