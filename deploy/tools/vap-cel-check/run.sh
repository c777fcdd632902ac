#!/usr/bin/env bash
# Compiles every CEL expression of deploy/kubernetes/validating-admission-policy.yaml with cel-java (Google's CEL
# implementation, strings extension enabled as in Kubernetes) and evaluates the policy on admission scenarios.
# Needs JDK 17 and Maven with access to Maven Central. Exit code 0 = every scenario behaved as expected.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p target/classes
mvn -B -q ${MAVEN_ARGS:-} dependency:build-classpath -Dmdep.outputFile=target/cp.txt
CP="$(cat target/cp.txt)"
javac -d target/classes -cp "$CP" CelCheck.java
java -cp "target/classes:$CP" CelCheck ../../kubernetes/validating-admission-policy.yaml
